import Foundation
import Vapor
import ZeroErrandCore

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
    /// From the zone's offset at that instant (`CivilDay.at`), not a DateFormatter (~75 µs each)
    /// or a `Calendar` with `String(format:)`, which were still 5% of a 50-row page's time.
    static func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let (day, minute) = CivilDay.at(date, offset: offset)
        let sign = offset < 0 ? "-" : "+"
        return "\(day) \(two(minute / 60)):\(two(minute % 60)) "
            + "(\(zone.identifier), UTC\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60)))"
    }

    /// "17:30": the end of a span whose start was shown in full, on the same clock.
    static func clock(_ date: Date, in zone: TimeZone) -> String {
        let minute = CivilDay.at(date, offset: zone.secondsFromGMT(for: date)).minuteOfDay
        return "\(two(minute / 60)):\(two(minute % 60))"
    }

    private static func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
}
