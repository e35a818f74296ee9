/// Which days an office works: Monday to Friday, except official holidays, plus the weekend
/// days an official arrangement turns into working days (调休上班).
///
/// Holiday data exists only for `coveredYears`; outside them the calendar knows weekends only,
/// and anything computed there is an estimate (`covers(_:)` says so).
public struct WorkingDayCalendar: Sendable, Equatable {
    public let holidays: Set<CivilDay>
    public let workingWeekends: Set<CivilDay>
    public let coveredYears: ClosedRange<Int>
    /// Covered years whose arrangement is not yet officially published (projected data).
    public let provisionalYears: Set<Int>

    public init(
        holidays: Set<CivilDay>,
        workingWeekends: Set<CivilDay>,
        coveredYears: ClosedRange<Int>,
        provisionalYears: Set<Int> = []
    ) {
        self.holidays = holidays
        self.workingWeekends = workingWeekends
        self.coveredYears = coveredYears
        self.provisionalYears = provisionalYears
    }

    /// Builds the calendar from the holiday data file's years, refusing data that cannot be right:
    /// a gap between years, a day outside its year, a "working weekend" that is not a Saturday or
    /// Sunday, or a day that is both a holiday and a working day.
    public init(years: [HolidayYear]) throws(HolidayDataError) {
        guard !years.isEmpty else { throw .noYears }
        let sorted = years.sorted { $0.year < $1.year }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.year != earlier.year + 1 {
            throw later.year == earlier.year ? .duplicateYear(later.year) : .missingYear(earlier.year + 1)
        }
        var holidays = Set<CivilDay>()
        var working = Set<CivilDay>()
        for entry in sorted {
            for day in entry.holidays + entry.workingWeekends where day.year != entry.year {
                throw .dayOutsideYear(day, year: entry.year)
            }
            for day in entry.workingWeekends where !day.isWeekend {
                throw .workingWeekendOnWeekday(day)
            }
            if let clash = Set(entry.holidays).intersection(entry.workingWeekends).min() {
                throw .holidayAndWorkingDay(clash)
            }
            holidays.formUnion(entry.holidays)
            working.formUnion(entry.workingWeekends)
        }
        self.init(
            holidays: holidays,
            workingWeekends: working,
            coveredYears: sorted.first!.year...sorted.last!.year,
            provisionalYears: Set(sorted.filter { $0.status == .provisional }.map(\.year))
        )
    }

    /// Does the holiday data cover this day's year?
    public func covers(_ day: CivilDay) -> Bool { coveredYears.contains(day.year) }

    /// A statutory holiday (offices closed), as opposed to an ordinary weekend.
    public func isPublicHoliday(_ day: CivilDay) -> Bool { holidays.contains(day) }

    public func isWorkingDay(_ day: CivilDay) -> Bool {
        if workingWeekends.contains(day) { return true }
        if holidays.contains(day) { return false }
        return !day.isWeekend
    }

    /// The `n`th working day after `start` (day 1 is the first working day after `start`; `start`
    /// itself never counts). For negative `n`, the `-n`th working day before `start`; for 0, `start`.
    public func addingWorkingDays(_ n: Int, to start: CivilDay) -> CivilDay {
        let step = n < 0 ? -1 : 1
        var remaining = abs(n)
        var day = start
        while remaining > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// Working days in (`start`, `end`]: after `start`, up to and including `end`.
    /// Zero when `end` is not after `start`.
    public func workingDays(after start: CivilDay, through end: CivilDay) -> Int {
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }
}

/// One year of the holiday data file (Resources/Calendar/holidays-cn.yaml).
public struct HolidayYear: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Taken from the published State Council arrangement.
        case official
        /// Projected from the statutory rules before the arrangement is published.
        case provisional
    }

    public var year: Int
    public var status: Status
    public var source: String
    public var holidays: [CivilDay]
    public var workingWeekends: [CivilDay]

    public init(year: Int, status: Status, source: String, holidays: [CivilDay], workingWeekends: [CivilDay]) {
        self.year = year
        self.status = status
        self.source = source
        self.holidays = holidays
        self.workingWeekends = workingWeekends
    }

    enum CodingKeys: String, CodingKey {
        case year, status, source, holidays
        case workingWeekends = "working_weekends"
    }
}

public enum HolidayDataError: Error, Equatable, Sendable {
    case noYears
    case duplicateYear(Int)
    case missingYear(Int)
    case dayOutsideYear(CivilDay, year: Int)
    case workingWeekendOnWeekday(CivilDay)
    case holidayAndWorkingDay(CivilDay)
}
