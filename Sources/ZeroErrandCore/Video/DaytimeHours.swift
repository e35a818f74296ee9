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
        // One calendar for the whole reckoning: a booking page classifies thousands of times.
        let calendar = CivilDay.gregorian(zone)
        var day = localDay(start, calendar)
        guard end > start else {
            let window = daytime(on: day, calendar)
            return window.start <= start && start < window.end ? .day : .night
        }
        let span = DateInterval(start: start, end: end)
        var covered: TimeInterval = 0
        // Every local day the span reaches into, from the one it starts on.
        while true {
            let window = daytime(on: day, calendar)
            guard window.start < end else { break }
            covered += window.intersection(with: span)?.duration ?? 0
            day = day.adding(days: 1)
        }
        if covered >= span.duration { return .day }
        return covered == 0 ? .night : .partlyNight
    }

    /// True unless all of [start, end) lies between 07:00 and 22:00 in `zone`.
    public static func isNight(start: Date, end: Date, in zone: TimeZone) -> Bool {
        share(start: start, end: end, in: zone) != .day
    }

    /// The instant a wall clock in `zone` shows `minute` after midnight on `day`.
    static func instant(_ day: CivilDay, minute: Int, in zone: TimeZone) -> Date {
        instant(day, minute: minute, CivilDay.gregorian(zone))
    }

    private static func instant(_ day: CivilDay, minute: Int, _ calendar: Calendar) -> Date {
        let wanted = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        return calendar.date(from: wanted) ?? day.startOfDay(in: calendar.timeZone).addingTimeInterval(TimeInterval(minute * 60))
    }

    private static func daytime(on day: CivilDay, _ calendar: Calendar) -> DateInterval {
        DateInterval(start: instant(day, minute: startMinute, calendar), end: instant(day, minute: endMinute, calendar))
    }

    private static func localDay(_ date: Date, _ calendar: Calendar) -> CivilDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CivilDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)!
    }
}
