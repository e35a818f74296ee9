import Foundation

/// The hours at which a person can fairly be asked to sit in front of a camera, on their own
/// clock: 07:00 to 22:00. Everything else is "night hours". An office eight hours ahead of its
/// applicants easily offers times at 02:00 their time; the booking page keeps those apart.
public enum DaytimeHours {
    public static let startMinute = 7 * 60
    public static let endMinute = 22 * 60

    /// How much of a span of time falls in someone's night hours.
    public enum Share: String, Sendable, Equatable {
        case day
        case partlyNight = "partly_night"
        case night
    }

    /// For [start, end) seen in `zone`. Each local day's 07:00 and 22:00 are found as instants,
    /// so a clock change inside the span counts in real minutes.
    public static func share(start: Date, end: Date, in zone: TimeZone) -> Share {
        guard end > start else { return isDaytime(start, in: zone) ? .day : .night }
        var daytime: TimeInterval = 0
        var day = CivilDay(start, in: zone)
        let lastDay = CivilDay(end, in: zone)
        while day <= lastDay {
            let from = max(start, instant(day, minute: startMinute, in: zone))
            let to = min(end, instant(day, minute: endMinute, in: zone))
            if to > from { daytime += to.timeIntervalSince(from) }
            day = day.adding(days: 1)
        }
        if daytime >= end.timeIntervalSince(start) { return .day }
        return daytime == 0 ? .night : .partlyNight
    }

    /// True unless all of [start, end) lies between 07:00 and 22:00 in `zone`.
    public static func isNight(start: Date, end: Date, in zone: TimeZone) -> Bool {
        share(start: start, end: end, in: zone) != .day
    }

    private static func isDaytime(_ date: Date, in zone: TimeZone) -> Bool {
        let day = CivilDay(date, in: zone)
        return instant(day, minute: startMinute, in: zone) <= date && date < instant(day, minute: endMinute, in: zone)
    }

    /// The instant a wall clock in `zone` shows `minute` after midnight on `day`.
    static func instant(_ day: CivilDay, minute: Int, in zone: TimeZone) -> Date {
        let calendar = CivilDay.gregorian(zone)
        let wanted = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        return calendar.date(from: wanted) ?? day.startOfDay(in: zone).addingTimeInterval(TimeInterval(minute * 60))
    }
}
