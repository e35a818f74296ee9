import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// `GET /metrics` in Prometheus's text format: requests by route pattern and status, sign-in
/// failures, the outbox and the video rooms; only for the addresses an operator allows.
@Suite("Metrics")
struct MetricsTests {
    /// The scrape as a real client on 127.0.0.1 sees it.
    static func scrape(_ app: Application, port: Int, path: String = "/metrics") async throws -> ClientResponse {
        try await app.client.get(URI(string: "http://127.0.0.1:\(port)\(path)"))
    }

    @Test("This machine reads counts by route pattern and status, sign-in failures and the outbox; no path as typed")
    func scrapeFromThisMachine() async throws {
        try await withTestApp { (app, _) async throws in
            let port = try await app.startServer()
            #expect(try await Self.scrape(app, port: port, path: "/ping").status == .ok)
            #expect(try await Self.scrape(app, port: port, path: "/queue/a-ticket-key").status == .notFound)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("nobody@example.org", password: "not the password at all")
            // A registration's confirmation mail waits in the outbox (nothing sends it in tests).
            _ = try await browser.post("/register", ["email": Inbox.uniqueAddress(), "displayName": "杨辉",
                                                     "password": "马德里的阳光很好我要换身份证", "timeZone": "Europe/Madrid"])
            let waiting = try await OutboxMail.query(on: app.db).filter(\.$sentAt == nil).count()
            let response = try await Self.scrape(app, port: port)
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("text/plain") == true)
            let text = response.body.map { String(buffer: $0) } ?? ""
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("zeroerrand_http_requests_total{") && $0.contains("route=\"/ping\"")
                && $0.contains("status=\"200\"") && $0.hasSuffix(" 1") }, "\(text)")
            #expect(lines.contains { $0.hasPrefix("zeroerrand_http_requests_total{") && $0.contains("route=\"/queue/:token\"") })
            #expect(!text.contains("a-ticket-key"))
            #expect(lines.contains { $0.hasPrefix("zeroerrand_http_request_duration_seconds_bucket{") && $0.contains("route=\"/ping\"") })
            #expect(lines.contains { $0.hasPrefix("zeroerrand_sign_in_failures_total{reason=\"password\"} ") }, "\(text)")
            #expect(lines.contains("zeroerrand_outbox_backlog \(Double(waiting))") && waiting > 0 && lines.contains("zeroerrand_outbox_given_up 0.0"))
            #expect(lines.contains { $0.hasPrefix("zeroerrand_audit_write_wait_seconds_count ") })
        }
    }

    @Test("Open video rooms and sockets are counted while a participant is connected, and no longer once they leave")
    func videoSockets() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let port = try await app.startServer()
            let lines = { try await Self.scrape(app, port: port).body.map { String(buffer: $0) }?.split(separator: "\n").map(String.init) ?? [] }
            #expect(try await lines().contains("zeroerrand_video_sockets_open 0.0"))
            let citizen = try await SignalClient.connect(app, port: port, session: try session.requireID(), as: world.citizen)
            #expect(try await citizen.next("welcome") != nil)
            let open = try await lines()
            #expect(open.contains("zeroerrand_video_sockets_open 1.0") && open.contains("zeroerrand_video_rooms_open 1.0"), "\(open)")
            try await citizen.close()
            var closed: [String] = []
            for _ in 0..<50 {
                closed = try await lines()
                if closed.contains("zeroerrand_video_sockets_open 0.0") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(closed.contains("zeroerrand_video_sockets_open 0.0"), "\(closed)")
        }
    }

    @Test("Anyone else gets 404: another address, a request relayed by a proxy, an in-process client")
    func othersAreRefused() async throws {
        try await withTestApp(adjusting: { $0.metricsAllowed = ["10.0.0.7"]; $0.trustedProxies = ["127.0.0.1"] }) { (app, _) async throws in
            let port = try await app.startServer()
            #expect(try await Self.scrape(app, port: port).status == .notFound)
            // Through the proxy, the client is the forwarded address: the allowed one reads, others do not.
            let relayed = try await app.client.get(URI(string: "http://127.0.0.1:\(port)/metrics"),
                                                   headers: ["X-Forwarded-For": "203.0.113.9"])
            #expect(relayed.status == .notFound)
            let allowed = try await app.client.get(URI(string: "http://127.0.0.1:\(port)/metrics"),
                                                   headers: ["X-Forwarded-For": "10.0.0.7"])
            #expect(allowed.status == .ok)
        }
        try await withTestApp { (app, _) async throws in
            #expect(try await TestBrowser(app).get("/metrics").status == .notFound)
        }
    }
}
