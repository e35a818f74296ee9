import Foundation

/// When one staff member takes video appointments, in wall-clock time of the office's zone:
/// "Mondays and Wednesdays, 09:00–12:00, 30-minute slots, from 2026-10-19 to 2026-11-13".
public struct AvailabilityRule: Sendable, Equatable {
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public var weekdays: Set<Int>
    /// Minutes after local midnight.
    public var startMinute: Int
    public var endMinute: Int
    public var slotMinutes: Int
    public var firstDay: CivilDay
    public var lastDay: CivilDay

    public static let slotLengths = [15, 20, 30, 45, 60]
    /// How far ahead one rule may reach; keeps the slot list a page long and the office accountable.
    public static let longestSpanDays = 92

    public init(weekdays: Set<Int>, startMinute: Int, endMinute: Int, slotMinutes: Int, firstDay: CivilDay, lastDay: CivilDay) {
        self.weekdays = weekdays
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.slotMinutes = slotMinutes
        self.firstDay = firstDay
        self.lastDay = lastDay
    }

    public enum Problem: String, Sendable, Equatable {
        case noWeekdays = "no_weekdays"
        case hoursOrder = "hours_order"
        case slotLength = "slot_length"
        case daysOrder = "days_order"
        case spanTooLong = "span_too_long"
    }

    /// What is wrong with the rule, if anything; translation keys are `video.availability.problem.<raw>`.
    public var problem: Problem? {
        if weekdays.isEmpty || !weekdays.allSatisfy((1...7).contains) { return .noWeekdays }
        if !Self.slotLengths.contains(slotMinutes) { return .slotLength }
        if startMinute < 0 || endMinute > 24 * 60 || endMinute - startMinute < slotMinutes { return .hoursOrder }
        if lastDay < firstDay { return .daysOrder }
        if firstDay.days(until: lastDay) >= Self.longestSpanDays { return .spanTooLong }
        return nil
    }

    /// The start of every slot of the rule, as instants, in order. The office's clock decides:
    /// a 09:00 slot is at 09:00 local time before and after a daylight-saving change (so its UTC
    /// instant moves), a wall-clock time that does not exist on the day clocks go forward is
    /// skipped, and one that happens twice when they go back is offered once (the first).
    /// Days for which `closed` is true (public holidays) have no slots.
    public func slotStarts(in zone: TimeZone, closed: (CivilDay) -> Bool = { _ in false }) -> [Date] {
        guard problem == nil else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var starts: [Date] = []
        var day = firstDay
        while day <= lastDay {
            if weekdays.contains(day.weekday) && !closed(day) {
                var minute = startMinute
                while minute + slotMinutes <= endMinute {
                    let wanted = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
                    if let date = calendar.date(from: wanted) {
                        let got = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
                        // Foundation moves a time inside a spring-forward gap to a later one; such a slot does not exist.
                        if got.day == day.day && got.hour == minute / 60 && got.minute == minute % 60 { starts.append(date) }
                    }
                    minute += slotMinutes
                }
            }
            day = day.adding(days: 1)
        }
        return starts
    }
}
