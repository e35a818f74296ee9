import Foundation

/// Free appointment times laid out the way a citizen looks for one: by the days of their own
/// calendar, one week (Monday to Sunday) at a time, with night hours apart from daytime ones.
public struct SlotWeek: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        public let day: CivilDay
        public let daytime: [DateInterval]
        public let night: [DateInterval]

        public var isEmpty: Bool { daytime.isEmpty && night.isEmpty }
    }

    /// Monday to Sunday of the week shown.
    public let days: [Day]
    /// The day whose times are listed.
    public let chosen: CivilDay
    /// Monday of the week before, when that week still has days from today on.
    public let previousWeek: CivilDay?
    /// Monday of the week after, when that week starts within the booking window.
    public let nextWeek: CivilDay?
    /// The first day after this week with a daytime time, for "no daytime time this week".
    public let nextDaytimeDay: CivilDay?

    public var hasDaytime: Bool { days.contains { !$0.daytime.isEmpty } }
    public var hasAny: Bool { days.contains { !$0.isEmpty } }
    public var chosenDay: Day { days.first { $0.day == chosen } ?? Day(day: chosen, daytime: [], night: []) }

    /// - Parameters:
    ///   - slots: every free time, in any order.
    ///   - zone: the viewer's zone: it decides the days and what is night.
    ///   - today: today in `zone`; earlier days are never chosen.
    ///   - lastDay: the last day in `zone` that can have times (the booking window's end).
    ///   - wanted: the day asked for. Without one: this week, or the first week with any time
    ///     when this week has none; in it the first day from today with a time the viewer sees
    ///     (daytime, or any when `includeNight`), else with any time at all.
    public init(slots: [DateInterval], zone: TimeZone, today: CivilDay, lastDay: CivilDay, wanted: CivilDay?, includeNight: Bool = false) {
        let byDay = Self.byLocalDay(slots, in: zone)
        // Each time is classified once; a busy office offers thousands in the booking window.
        let night = Set(slots.filter { DaytimeHours.isNight(start: $0.start, end: $0.end, in: zone) })
        let isDaytime = { (slot: DateInterval) in !night.contains(slot) }
        let sundayOfToday = Self.monday(of: today).adding(days: 6)
        let firstDay = byDay.keys.filter { $0 >= today }.min()
        let fallback = firstDay.map { $0 > sundayOfToday ? $0 : today } ?? today
        let target = min(max(wanted ?? fallback, today), max(lastDay, today))
        let monday = Self.monday(of: target)
        days = (0..<7).map { offset in
            let day = monday.adding(days: offset)
            let all = byDay[day] ?? []
            return Day(day: day, daytime: all.filter(isDaytime), night: all.filter { !isDaytime($0) })
        }
        if wanted != nil {
            chosen = target
        } else {
            let open = days.filter { $0.day >= today }
            let seen = open.first { !$0.daytime.isEmpty || includeNight && !$0.night.isEmpty }
            chosen = (seen ?? open.first { !$0.isEmpty })?.day ?? target
        }
        previousWeek = monday > today ? monday.adding(days: -7) : nil
        nextWeek = monday.adding(days: 7) <= lastDay ? monday.adding(days: 7) : nil
        let sunday = monday.adding(days: 6)
        nextDaytimeDay = byDay.keys.filter { $0 > sunday }.sorted().first { byDay[$0, default: []].contains(where: isDaytime) }
    }

    /// Times grouped by the day they start on in `zone`, each day's in order.
    public static func byLocalDay(_ slots: [DateInterval], in zone: TimeZone) -> [CivilDay: [DateInterval]] {
        Dictionary(grouping: slots.sorted { $0.start < $1.start }) { CivilDay($0.start, in: zone) }
    }

    public static func monday(of day: CivilDay) -> CivilDay {
        day.adding(days: 1 - day.weekday)
    }
}
