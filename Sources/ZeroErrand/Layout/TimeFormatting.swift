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
    /// Built from the zone's offset at that instant and integer arithmetic, not a DateFormatter or a
    /// Calendar: a formatter per call cost ~75 µs, and a Calendar with `String(format:)` still about
    /// a tenth of a 50-row queue page (docs/performance.md). Seconds are dropped, as a clock shows.
    static func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let (year, month, day, minuteOfDay) = civil(date, offset: offset)
        let sign = offset < 0 ? "-" : "+"
        return "\(year)-\(two(month))-\(two(day)) \(two(minuteOfDay / 60)):\(two(minuteOfDay % 60)) "
            + "(\(zone.identifier), UTC\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60)))"
    }

    /// "17:30": the end of a span whose start was shown in full, on the same clock.
    static func clock(_ date: Date, in zone: TimeZone) -> String {
        let minuteOfDay = civil(date, offset: zone.secondsFromGMT(for: date)).minuteOfDay
        return "\(two(minuteOfDay / 60)):\(two(minuteOfDay % 60))"
    }

    /// The day and minute on a clock `offset` seconds from UTC, by integer arithmetic (exact for
    /// every day; `CivilDay(daysSinceEpoch:)` is Howard Hinnant's `civil_from_days`).
    static func civil(_ date: Date, offset: Int) -> (year: Int, month: Int, day: Int, minuteOfDay: Int) {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let day = CivilDay(daysSinceEpoch: days)
        return (day.year, day.month, day.day, (local - days * 86_400) / 60)
    }

    private static func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
}
