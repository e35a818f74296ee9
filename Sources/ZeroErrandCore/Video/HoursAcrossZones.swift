import Foundation

/// An office's published hours as they fall on another zone's clock: "09:00–12:00 Asia/Shanghai
/// is 02:00–05:00 in Europe/Madrid, at night". Clocks change on different days in different
/// places, so one rule can read differently before and after a change; each run of days that
/// reads the same is one `Period`.
public enum HoursAcrossZones {
    public struct Period: Sendable, Equatable {
        /// The office's days (first and last day of the rule on which it reads like this).
        public let firstDay: CivilDay
        public let lastDay: CivilDay
        /// Wall-clock minutes in the other zone. `endMinute` is on the day the span ends, so a
        /// span across midnight has an end before its start (22:00–01:00).
        public let startMinute: Int
        public let endMinute: Int
        /// The other zone's date at the start minus the office's date: −1 "the day before".
        public let dayShift: Int
        public let share: DaytimeHours.Share

        public init(firstDay: CivilDay, lastDay: CivilDay, startMinute: Int, endMinute: Int, dayShift: Int, share: DaytimeHours.Share) {
            self.firstDay = firstDay
            self.lastDay = lastDay
            self.startMinute = startMinute
            self.endMinute = endMinute
            self.dayShift = dayShift
            self.share = share
        }
    }

    /// The rule's hours on each of its weekdays from its first day to its last, read in `other`.
    public static func periods(of rule: AvailabilityRule, officeZone: TimeZone, in other: TimeZone) -> [Period] {
        var periods: [Period] = []
        var day = rule.firstDay
        while day <= rule.lastDay {
            defer { day = day.adding(days: 1) }
            guard rule.weekdays.contains(day.weekday) else { continue }
            let start = DaytimeHours.instant(day, minute: rule.startMinute, in: officeZone)
            // "24:00" is the next day's midnight.
            let end = rule.endMinute >= 24 * 60 ? day.adding(days: 1).startOfDay(in: officeZone)
                : DaytimeHours.instant(day, minute: rule.endMinute, in: officeZone)
            let here = Period(firstDay: day, lastDay: day, startMinute: minuteOfDay(start, in: other), endMinute: minuteOfDay(end, in: other),
                              dayShift: day.days(until: CivilDay(start, in: other)),
                              share: DaytimeHours.share(start: start, end: end, in: other))
            if let last = periods.last, last.startMinute == here.startMinute, last.endMinute == here.endMinute,
               last.dayShift == here.dayShift, last.share == here.share {
                periods[periods.count - 1] = Period(firstDay: last.firstDay, lastDay: day, startMinute: last.startMinute,
                                                    endMinute: last.endMinute, dayShift: last.dayShift, share: last.share)
            } else {
                periods.append(here)
            }
        }
        return periods
    }

    static func minuteOfDay(_ date: Date, in zone: TimeZone) -> Int {
        let parts = CivilDay.gregorian(zone).dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }
}
