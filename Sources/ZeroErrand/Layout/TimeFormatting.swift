import Foundation
import Vapor

extension Request {
    /// The zone times are shown in: the account's own zone, else UTC (named either way).
    var viewerTimeZone: TimeZone {
        currentAccount?.zone ?? TimeZone(identifier: "UTC")!
    }

    /// "2026-11-30 09:15 (Europe/Paris, UTC+01:00)": the zone is always named.
    func showTime(_ date: Date, in zone: TimeZone? = nil) -> String {
        TimeDisplay.format(date, in: zone ?? viewerTimeZone)
    }
}

enum TimeDisplay {
    /// Built from calendar components rather than a DateFormatter: making a formatter per call cost
    /// ~75 µs, several milliseconds on a 50-row queue page (docs/performance.md).
    static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%04d-%02d-%02d %02d:%02d (%@, UTC%@%02d:%02d)", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0, zone.identifier, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// "17:30": the end of a span whose start was shown in full, on the same clock.
    static func clock(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
