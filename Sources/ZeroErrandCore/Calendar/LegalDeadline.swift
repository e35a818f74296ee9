/// A stretch during which the legal time limit does not run because the applicant is supplying
/// materials. `from` is the day the supplement was requested, `to` the day the applicant
/// resubmitted, nil while still waiting.
public struct DeadlinePause: Sendable, Equatable, Codable {
    public var from: CivilDay
    public var to: CivilDay?

    public init(from: CivilDay, to: CivilDay?) {
        self.from = from
        self.to = to
    }
}

/// Legal time limits counted in working days.
///
/// Counting rule:
/// - The day of acceptance does not count; day 1 is the first working day after it.
/// - Only working days of the calendar count (weekends and holidays do not; weekend days made
///   working days do).
/// - A pause covers the working days from the day after the supplement request through the day
///   of resubmission: the office worked on the request day, the applicant used the resubmission
///   day. A request answered the same day therefore pauses nothing.
/// - A pause that is still open covers through `today`; the due day is then provisional: it
///   moves one working day later for each further working day the applicant takes.
/// - The due day is the `limit`th counted working day. The case is overdue from the day after it.
public enum LegalDeadline {
    public static func compute(
        acceptedOn: CivilDay,
        limit: Int,
        pauses: [DeadlinePause],
        calendar: WorkingDayCalendar,
        today: CivilDay
    ) -> CaseDeadline {
        precondition(limit >= 0, "a time limit cannot be negative")
        let covered: [ClosedRange<CivilDay>] = pauses.compactMap { pause in
            let end = pause.to ?? max(today, pause.from)
            let start = pause.from.adding(days: 1)
            return start <= end ? start...end : nil
        }
        let isProvisional = pauses.contains { $0.to == nil }

        var day = acceptedOn
        var counted = 0
        var paused = 0
        while counted < limit {
            day = day.adding(days: 1)
            guard calendar.isWorkingDay(day) else { continue }
            if covered.contains(where: { $0.contains(day) }) {
                paused += 1
            } else {
                counted += 1
            }
        }
        let span = acceptedOn.adding(days: 1)...max(day, acceptedOn.adding(days: 1))
        let years = span.lowerBound.year...span.upperBound.year
        return CaseDeadline(
            acceptedOn: acceptedOn,
            limit: limit,
            dueDay: day,
            isProvisional: isProvisional,
            pausedWorkingDays: paused,
            usesUncoveredYears: years.contains { !calendar.coveredYears.contains($0) },
            usesProvisionalYears: years.contains { calendar.provisionalYears.contains($0) },
            pauses: covered,
            calendar: calendar
        )
    }

    /// The same, with pauses as (from, to) pairs.
    @_disfavoredOverload
    public static func compute(
        acceptedOn: CivilDay,
        limit: Int,
        pauses: [(from: CivilDay, to: CivilDay?)],
        calendar: WorkingDayCalendar,
        today: CivilDay
    ) -> CaseDeadline {
        compute(
            acceptedOn: acceptedOn,
            limit: limit,
            pauses: pauses.map { DeadlinePause(from: $0.from, to: $0.to) },
            calendar: calendar,
            today: today
        )
    }
}

/// A case's legal time limit as computed on a given day.
public struct CaseDeadline: Sendable, Equatable {
    public let acceptedOn: CivilDay
    public let limit: Int
    /// The last day on which the office is on time.
    public let dueDay: CivilDay
    /// A pause is still open: the due day will move if the applicant takes longer.
    public let isProvisional: Bool
    /// Working days up to the due day that did not count because of pauses.
    public let pausedWorkingDays: Int
    /// The count passes through a year the holiday data does not cover (weekends only there).
    public let usesUncoveredYears: Bool
    /// The count passes through a year whose holiday data is projected, not yet official.
    public let usesProvisionalYears: Bool
    let pauses: [ClosedRange<CivilDay>]
    let calendar: WorkingDayCalendar

    /// Counted working days left after `today` up to the due day: 0 on the due day itself,
    /// negative once overdue (-1 from the first day after the due day until a second working day
    /// has passed, and so on).
    public func workingDaysLeft(today: CivilDay) -> Int {
        if today <= dueDay { return countedDays(after: today, through: dueDay) }
        return -max(1, countedDays(after: dueDay, through: today))
    }

    public func isOverdue(today: CivilDay) -> Bool { today > dueDay }

    private func countedDays(after start: CivilDay, through end: CivilDay) -> Int {
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if calendar.isWorkingDay(day), !pauses.contains(where: { $0.contains(day) }) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }
}
