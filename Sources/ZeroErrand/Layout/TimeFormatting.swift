import Foundation
import Vapor

extension Request {
    /// The zone times are shown in: the account's own zone, else UTC (named either way).
    var viewerTimeZone: TimeZone {
        currentAccount.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "UTC")!
    }

    /// "2026-11-30 09:15 (Europe/Paris, UTC+01:00)": the zone is always named.
    func showTime(_ date: Date, in zone: TimeZone? = nil) -> String {
        TimeDisplay.format(date, in: zone ?? viewerTimeZone)
    }
}

enum TimeDisplay {
    static func format(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let utc = String(format: "UTC%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
        return "\(formatter.string(from: date)) (\(zone.identifier), \(utc))"
    }
}
