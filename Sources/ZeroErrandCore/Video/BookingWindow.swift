import Foundation

/// How far ahead citizens may book a video appointment. Offices may publish hours further out
/// (a rule may span `AvailabilityRule.longestSpanDays`), but those days are offered only as the
/// window reaches them, which staff are told when they publish.
public struct BookingWindow: Sendable, Equatable {
    public let days: Int

    public static let standard = BookingWindow(days: 60)

    public init(days: Int) {
        self.days = days
    }

    public var length: TimeInterval { TimeInterval(days) * 24 * 3600 }

    /// Whether a slot starting at `start` may be offered now.
    public func contains(_ start: Date, now: Date) -> Bool {
        start < now.addingTimeInterval(length)
    }

    /// The last day, in `zone`, with times that may be offered now (partly: up to this time of day).
    public func lastDay(now: Date, in zone: TimeZone) -> CivilDay {
        CivilDay(now.addingTimeInterval(length), in: zone)
    }

    /// The first of the rule's days that citizens cannot book yet, if any: its hours start after
    /// the window ends. Such a day is offered from `days` days before it.
    public func firstDayBeyond(_ rule: AvailabilityRule, now: Date, in zone: TimeZone) -> CivilDay? {
        let end = now.addingTimeInterval(length)
        var day = max(rule.firstDay, lastDay(now: now, in: zone))
        while day <= rule.lastDay {
            if rule.weekdays.contains(day.weekday), DaytimeHours.instant(day, minute: rule.startMinute, in: zone) >= end { return day }
            day = day.adding(days: 1)
        }
        return nil
    }
}
