import CoreMetrics
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// The app's metrics, kept through swift-metrics in a Prometheus registry of this application's
/// own (a process-wide bootstrap would clash when tests run many apps in one process), and shown
/// in Prometheus's text format at `GET /metrics` (`MetricsController`).
final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Made once per route and status: making one is a lookup in the registry under its lock.
    private let requestMetrics = NIOLockedValueBox<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    private struct RequestKey: Hashable {
        let method: String
        let route: String
        let status: UInt
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a bare route (about 2 ms under load) to a slow upload.
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
                                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                                   .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]
        self.factory = factory
    }

    /// One answered request: `route` is its pattern (`/cases/:id`), never the path as typed.
    func request(method: String, route: String, status: UInt, duration: Duration) {
        let key = RequestKey(method: method, route: route, status: status)
        let (counter, timer) = requestMetrics.withLockedValue { made in
            if let pair = made[key] { return pair }
            let pair = (CoreMetrics.Counter(label: "zeroerrand_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))],
                                factory: factory),
                        CoreMetrics.Timer(label: "zeroerrand_http_request_duration_seconds", dimensions: [("method", method), ("route", route)],
                                          factory: factory))
            made[key] = pair
            return pair
        }
        counter.increment()
        timer.record(duration: duration)
    }

    /// How long an audited write waited for its turn before its transaction began.
    func auditWait(_ duration: Duration) {
        CoreMetrics.Timer(label: "zeroerrand_audit_write_wait_seconds", factory: factory).record(duration: duration)
    }

    /// A sign-in refused: `password`, `throttled`, `suspended` or `second_factor`.
    func signInFailure(_ reason: String) {
        CoreMetrics.Counter(label: "zeroerrand_sign_in_failures_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// A mail the SMTP server did not take (it is tried again later, or given up on).
    func mailDeliveryFailure(givenUp: Bool) {
        CoreMetrics.Counter(label: "zeroerrand_outbox_delivery_failures_total", dimensions: [("given_up", givenUp ? "true" : "false")],
                factory: factory).increment()
    }

    /// Values read when scraped: the outbox, and this instance's video rooms.
    func set(_ name: String, _ value: Int) {
        Gauge(label: name, factory: factory).record(value)
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = AppMetrics }

    /// Set once by `configure`, before anything runs concurrently.
    var metrics: AppMetrics {
        get {
            guard let metrics = storage[MetricsKey.self] else { fatalError("configure sets app.metrics before it is used") }
            return metrics
        }
        set { storage[MetricsKey.self] = newValue }
    }
}
