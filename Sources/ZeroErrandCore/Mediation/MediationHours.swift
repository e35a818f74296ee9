import Foundation

/// The hours of a day at which a person may fairly be asked to sit in a mediation, on their own
/// clock: 08:00 to 22:00 at the widest; each party may narrow it.
public struct WakingHours: Sendable, Equatable {
    public static let widest = WakingHours(uncheckedStart: 8 * 60, end: 22 * 60)
    /// The shortest window a party may keep: a mediation runs about two hours.
    public static let shortestMinutes = 60

    public let startMinute: Int
    public let endMinute: Int

    /// Nil unless the window lies within 08:00–22:00 and is at least an hour long.
    public init?(startMinute: Int, endMinute: Int) {
        guard startMinute >= Self.widest.startMinute, endMinute <= Self.widest.endMinute,
              endMinute - startMinute >= Self.shortestMinutes else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    private init(uncheckedStart: Int, end: Int) {
        startMinute = uncheckedStart
        endMinute = end
    }
}

/// Someone who must attend: their zone and their waking hours in it.
public struct MediationAttendee: Sendable, Equatable {
    public var zone: TimeZone
    public var waking: WakingHours

    public init(zone: TimeZone, waking: WakingHours = .widest) {
        self.zone = zone
        self.waking = waking
    }
}

/// When a session can be held on one of the court's days: inside the court's office hours and
/// inside every attendee's waking hours on their own clock. Clocks change on different days in
/// different places (Europe on the last Sunday of March, China never), so every bound is found
/// as an instant on the day it falls in its own zone, never by adding a fixed offset.
public enum MediationHours {
    /// The court's office hours, in minutes after midnight on its clock: 08:30–12:00, 14:00–17:30.
    public static let courtHours: [Range<Int>] = [(8 * 60 + 30)..<(12 * 60), (14 * 60)..<(17 * 60 + 30)]

    public struct Answer: Sendable, Equatable {
        /// The stretches everyone can attend, earliest first; empty when there are none.
        public var windows: [DateInterval]
        /// False when the court does not sit that day (a weekend or a public holiday).
        public var courtSits: Bool
        /// Attendees (by index) whose waking hours alone miss every court hour of the day: the
        /// ones to name when there is no time.
        public var outOfHours: [Int]

        public var isEmpty: Bool { windows.isEmpty }
    }

    /// The common hours on the court's `day`. `courtSits` comes from the court's working-day calendar.
    public static func answer(on day: CivilDay, courtZone: TimeZone, courtSits: Bool, courtHours: [Range<Int>] = courtHours,
                              attendees: [MediationAttendee]) -> Answer {
        guard courtSits else { return Answer(windows: [], courtSits: false, outOfHours: []) }
        let court = courtHours.map {
            DateInterval(start: DaytimeHours.instant(day, minute: $0.lowerBound, in: courtZone),
                         end: DaytimeHours.instant(day, minute: $0.upperBound, in: courtZone))
        }
        var common = court
        var outOfHours: [Int] = []
        for (index, attendee) in attendees.enumerated() {
            let waking = wakingIntervals(of: attendee, around: court)
            if intersection(court, waking).isEmpty { outOfHours.append(index) }
            common = intersection(common, waking)
        }
        return Answer(windows: common, courtSits: true, outOfHours: outOfHours)
    }

    /// Whether a session from `start` lasting `minutes` lies wholly inside one of the windows.
    public static func fits(start: Date, minutes: Int, in answer: Answer) -> Bool {
        let end = start.addingTimeInterval(TimeInterval(minutes * 60))
        return answer.windows.contains { $0.start <= start && end <= $0.end }
    }

    /// The attendee's waking hours on every one of their local days that the court's day touches.
    private static func wakingIntervals(of attendee: MediationAttendee, around court: [DateInterval]) -> [DateInterval] {
        guard let first = court.first, let last = court.last else { return [] }
        var day = CivilDay(first.start, in: attendee.zone)
        let lastDay = CivilDay(last.end, in: attendee.zone)
        var intervals: [DateInterval] = []
        while day <= lastDay {
            let start = DaytimeHours.instant(day, minute: attendee.waking.startMinute, in: attendee.zone)
            let end = DaytimeHours.instant(day, minute: attendee.waking.endMinute, in: attendee.zone)
            if end > start { intervals.append(DateInterval(start: start, end: end)) }
            day = day.adding(days: 1)
        }
        return intervals
    }

    /// The instants in both lists of sorted, non-overlapping intervals.
    static func intersection(_ a: [DateInterval], _ b: [DateInterval]) -> [DateInterval] {
        var result: [DateInterval] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let start = max(a[i].start, b[j].start), end = min(a[i].end, b[j].end)
            if start < end { result.append(DateInterval(start: start, end: end)) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return result
    }
}
