import Foundation
import Testing
@testable import ZeroErrandCore

private func day(_ text: String) -> CivilDay {
    guard let day = CivilDay(text) else { fatalError("bad test date \(text)") }
    return day
}

private func days(_ from: String, _ through: String) -> [CivilDay] {
    let start = day(from)
    return (0...start.days(until: day(through))).map { start.adding(days: $0) }
}

/// 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), typed in from the notice.
private let official2026 = HolidayYear(
    year: 2026,
    status: .official,
    source: "test",
    holidays: days("2026-01-01", "2026-01-03") + days("2026-02-15", "2026-02-23") + days("2026-04-04", "2026-04-06")
        + days("2026-05-01", "2026-05-05") + days("2026-06-19", "2026-06-21") + days("2026-09-25", "2026-09-27")
        + days("2026-10-01", "2026-10-07"),
    workingWeekends: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"].map(day)
)

private let calendar2026 = try! WorkingDayCalendar(years: [official2026])

private let paris = TimeZone(identifier: "Europe/Paris")!
private let utc = TimeZone(identifier: "UTC")!

private func instant(_ iso: String) -> Date {
    try! Date(iso, strategy: .iso8601)
}

@Suite("Civil days")
struct CivilDayTests {
    @Test("Read and written as YYYY-MM-DD; impossible dates are refused")
    func text() throws {
        #expect(day("2026-10-01").description == "2026-10-01")
        #expect(CivilDay(year: 2026, month: 2, day: 28)?.description == "2026-02-28")
        #expect(CivilDay("2028-02-29") != nil)
        for bad in ["2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "2026/01/01",
                    "26-01-01", "2026-01-01T00:00", " 2026-01-01", "abcd-ef-gh", "0000-01-01", ""] {
            #expect(CivilDay(bad) == nil, "\(bad)")
        }
        let json = try JSONEncoder().encode([day("2026-02-17")])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-02-17"]"#)
        #expect(try JSONDecoder().decode([CivilDay].self, from: json) == [day("2026-02-17")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CivilDay].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }

    @Test("Day arithmetic, order and ISO weekdays")
    func arithmetic() {
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(day("2028-02-28").adding(days: 1) == day("2028-02-29"))
        #expect(day("2026-03-01").adding(days: -1) == day("2026-02-28"))
        #expect(day("2026-01-01").adding(days: 365) == day("2027-01-01"))
        #expect(day("1969-12-31").adding(days: 1) == day("1970-01-01"))
        #expect(day("2026-02-17").days(until: day("2026-10-01")) == 226)
        #expect(day("2026-02-17") < day("2026-10-01"))
        #expect(day("2026-12-31") < day("2027-01-01"))
        #expect(day("2026-10-01").weekday == 4)   // Thursday
        #expect(day("2026-01-04").weekday == 7)   // Sunday
        #expect(day("2026-02-14").weekday == 6)   // Saturday
        #expect(day("2027-02-06").weekday == 6)
        #expect(day("2026-02-16").weekday == 1)

        // Against Foundation's Gregorian calendar, day by day over several years.
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = utc
        var civil = day("2024-01-01")
        var date = civil.startOfDay(in: utc)
        for _ in 0..<(366 * 5) {
            let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: date)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day)
            #expect(civil.weekday == (parts.weekday! + 5) % 7 + 1)
            civil = civil.adding(days: 1)
            date = gregorian.date(byAdding: .day, value: 1, to: date)!
        }
    }

    @Test("Converting across the spring clock change in Paris (last Sunday of March)")
    func parisSpring() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; the day has 23 hours.
        let start = day("2026-03-29").startOfDay(in: paris)
        let next = day("2026-03-30").startOfDay(in: paris)
        #expect(start == instant("2026-03-28T23:00:00Z"))
        #expect(next == instant("2026-03-29T22:00:00Z"))
        #expect(next.timeIntervalSince(start) == 23 * 3600)
        #expect(CivilDay(instant("2026-03-29T21:59:59Z"), in: paris) == day("2026-03-29"))
        #expect(CivilDay(instant("2026-03-29T22:00:00Z"), in: paris) == day("2026-03-30"))
        #expect(CivilDay(instant("2026-03-29T22:00:00Z"), in: utc) == day("2026-03-29"))
        #expect(CivilDay(instant("2026-03-28T23:30:00Z"), in: paris) == day("2026-03-29"))
    }

    @Test("Converting across the autumn clock change in Paris (last Sunday of October)")
    func parisAutumn() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; the day has 25 hours.
        let start = day("2026-10-25").startOfDay(in: paris)
        let next = day("2026-10-26").startOfDay(in: paris)
        #expect(start == instant("2026-10-24T22:00:00Z"))
        #expect(next == instant("2026-10-25T23:00:00Z"))
        #expect(next.timeIntervalSince(start) == 25 * 3600)
        #expect(CivilDay(instant("2026-10-25T22:59:59Z"), in: paris) == day("2026-10-25"))
        #expect(CivilDay(instant("2026-10-25T23:00:00Z"), in: paris) == day("2026-10-26"))
        #expect(CivilDay(instant("2026-10-24T21:59:59Z"), in: paris) == day("2026-10-24"))
    }

    @Test("Every day of 2026 and 2027 round-trips in zones with clock changes, including at midnight")
    func roundTrips() {
        let zones = ["Europe/Paris", "America/New_York", "America/Santiago", "Australia/Sydney", "Asia/Shanghai",
                     "Asia/Tehran", "Pacific/Chatham", "America/Havana"].compactMap(TimeZone.init(identifier:))
        #expect(zones.count == 8)
        for zone in zones {
            var civil = day("2026-01-01")
            while civil.year < 2028 {
                let start = civil.startOfDay(in: zone)
                let end = civil.adding(days: 1).startOfDay(in: zone)
                #expect(CivilDay(start, in: zone) == civil, "\(zone.identifier) \(civil)")
                #expect(CivilDay(end.addingTimeInterval(-1), in: zone) == civil, "\(zone.identifier) \(civil)")
                #expect(CivilDay(start.addingTimeInterval(-1), in: zone) == civil.adding(days: -1), "\(zone.identifier) \(civil)")
                #expect((22.0 * 3600...26.0 * 3600).contains(end.timeIntervalSince(start)), "\(zone.identifier) \(civil)")
                civil = civil.adding(days: 1)
            }
        }
    }
}

@Suite("Working-day calendar")
struct WorkingDayCalendarTests {
    @Test("Weekdays work, weekends do not")
    func weekends() {
        #expect(calendar2026.isWorkingDay(day("2026-03-06")))     // Friday
        #expect(!calendar2026.isWorkingDay(day("2026-03-07")))    // Saturday
        #expect(!calendar2026.isWorkingDay(day("2026-03-08")))    // Sunday
        #expect(calendar2026.isWorkingDay(day("2026-03-09")))     // Monday
    }

    @Test("Holidays are days off, including make-up weekdays")
    func holidays() {
        #expect(!calendar2026.isWorkingDay(day("2026-10-01")))    // National Day, Thursday
        #expect(!calendar2026.isWorkingDay(day("2026-10-07")))    // swapped weekday, Wednesday
        #expect(!calendar2026.isWorkingDay(day("2026-02-16")))    // 除夕, Monday
        #expect(!calendar2026.isWorkingDay(day("2026-04-06")))    // Qingming fell on Sunday; made up Monday
        #expect(calendar2026.isWorkingDay(day("2026-04-07")))
    }

    @Test("Weekend days made working days (调休) count as working days")
    func workingWeekends() {
        for text in ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"] {
            #expect(day(text).isWeekend)
            #expect(calendar2026.isWorkingDay(day(text)), "\(text)")
        }
        #expect(!calendar2026.isWorkingDay(day("2026-10-11")))    // the Sunday after stays off
    }

    @Test("Adding working days across the Spring Festival 2026")
    func springFestival() {
        // Thu 02-12 → Fri 02-13 (1), Sat 02-14 調休 (2), holiday 02-15..02-23, Tue 02-24 (3).
        #expect(calendar2026.addingWorkingDays(1, to: day("2026-02-12")) == day("2026-02-13"))
        #expect(calendar2026.addingWorkingDays(2, to: day("2026-02-12")) == day("2026-02-14"))
        #expect(calendar2026.addingWorkingDays(3, to: day("2026-02-12")) == day("2026-02-24"))
        // 20 working days from Tue 02-10: 11,12,13,14(Sat),24,25,26,27,28(Sat), Mar 2-6, 9-13, 16.
        #expect(calendar2026.addingWorkingDays(20, to: day("2026-02-10")) == day("2026-03-16"))
        #expect(calendar2026.workingDays(after: day("2026-02-10"), through: day("2026-03-16")) == 20)
        #expect(calendar2026.workingDays(after: day("2026-02-14"), through: day("2026-02-23")) == 0)
        #expect(calendar2026.addingWorkingDays(-1, to: day("2026-02-24")) == day("2026-02-14"))
        #expect(calendar2026.addingWorkingDays(0, to: day("2026-02-15")) == day("2026-02-15"))
    }

    @Test("Adding working days across National Day 2026")
    func nationalDay() {
        // Sun 09-20 is a working day: the first working day after Fri 09-18.
        #expect(calendar2026.addingWorkingDays(1, to: day("2026-09-18")) == day("2026-09-20"))
        // Mon 09-28 → 29 (1), 30 (2), holiday 10-01..10-07, Thu 10-08 (3), Fri 10-09 (4), Sat 10-10 (5), Mon 10-12 (6).
        #expect(calendar2026.addingWorkingDays(2, to: day("2026-09-28")) == day("2026-09-30"))
        #expect(calendar2026.addingWorkingDays(3, to: day("2026-09-28")) == day("2026-10-08"))
        #expect(calendar2026.addingWorkingDays(5, to: day("2026-09-28")) == day("2026-10-10"))
        #expect(calendar2026.addingWorkingDays(6, to: day("2026-09-28")) == day("2026-10-12"))
        // Accepted on a holiday: counting starts with the first working day after it.
        #expect(calendar2026.addingWorkingDays(1, to: day("2026-10-03")) == day("2026-10-08"))
    }

    @Test("Counting working days is the inverse of adding them")
    func inverse() {
        var random = SplitMix64(seed: 2026)
        for _ in 0..<2000 {
            let start = day("2026-01-01").adding(days: random.int(300))
            let n = random.int(60)
            let end = calendar2026.addingWorkingDays(n, to: start)
            #expect(calendar2026.workingDays(after: start, through: end) == n)
            #expect(calendar2026.addingWorkingDays(-n, to: end) <= start)
            if n > 0 { #expect(calendar2026.isWorkingDay(end)) }
        }
        #expect(calendar2026.workingDays(after: day("2026-03-10"), through: day("2026-03-10")) == 0)
        #expect(calendar2026.workingDays(after: day("2026-03-10"), through: day("2026-03-01")) == 0)
    }

    @Test("Outside the covered years only weekends are known, and the calendar says so")
    func coverage() {
        #expect(calendar2026.coveredYears == 2026...2026)
        #expect(calendar2026.covers(day("2026-12-31")))
        #expect(!calendar2026.covers(day("2027-01-01")))
        #expect(calendar2026.isWorkingDay(day("2027-02-08")))    // unknown holiday: counted as a Monday
        #expect(!calendar2026.isWorkingDay(day("2027-02-06")))
    }

    @Test("Holiday data that cannot be right is refused")
    func badData() {
        func year(_ y: Int, holidays: [String] = [], working: [String] = []) -> HolidayYear {
            HolidayYear(year: y, status: .official, source: "", holidays: holidays.map(day), workingWeekends: working.map(day))
        }
        #expect(throws: HolidayDataError.noYears) { try WorkingDayCalendar(years: []) }
        #expect(throws: HolidayDataError.missingYear(2027)) { try WorkingDayCalendar(years: [year(2026), year(2028)]) }
        #expect(throws: HolidayDataError.duplicateYear(2026)) { try WorkingDayCalendar(years: [year(2026), year(2026)]) }
        #expect(throws: HolidayDataError.dayOutsideYear(day("2027-01-01"), year: 2026)) {
            try WorkingDayCalendar(years: [year(2026, holidays: ["2027-01-01"])])
        }
        #expect(throws: HolidayDataError.workingWeekendOnWeekday(day("2026-01-05"))) {
            try WorkingDayCalendar(years: [year(2026, working: ["2026-01-05"])])
        }
        #expect(throws: HolidayDataError.holidayAndWorkingDay(day("2026-01-04"))) {
            try WorkingDayCalendar(years: [year(2026, holidays: ["2026-01-04"], working: ["2026-01-04"])])
        }
        let two = try? WorkingDayCalendar(years: [year(2027), official2026])
        #expect(two?.coveredYears == 2026...2027)
    }
}

@Suite("Shipped holiday data")
struct HolidayDataFileTests {
    @Test("2026 in the data file is the official notice, 2027 is marked provisional")
    func dataFile() throws {
        let years = try HolidayFile.load()
        #expect(years.map(\.year) == [2026, 2027])
        let y2026 = try #require(years.first { $0.year == 2026 })
        #expect(y2026.status == .official)
        #expect(Set(y2026.holidays) == Set(official2026.holidays))
        #expect(Set(y2026.workingWeekends) == Set(official2026.workingWeekends))
        #expect(years.first { $0.year == 2027 }?.status == .provisional)

        let calendar = try WorkingDayCalendar(years: years)
        #expect(calendar.coveredYears == 2026...2027)
        #expect(calendar.provisionalYears == [2027])
        for entry in years {
            // Every year has 13 statutory days off (2025 revision); swaps move days but add none, so
            // weekdays off minus weekend days worked must come to 13.
            let weekdaysOff = Set(entry.holidays).filter { !$0.isWeekend }.count
            #expect(weekdaysOff - entry.workingWeekends.count == 13, "\(entry.year)")
            #expect(Set(entry.holidays).count == entry.holidays.count, "\(entry.year) lists a day twice")
        }
        // Fixed by law and the Chinese calendar whatever the 2027 notice says:
        for text in ["2027-01-01", "2027-02-05", "2027-02-08", "2027-04-05", "2027-06-09", "2027-09-15", "2027-10-01"] {
            #expect(!calendar.isWorkingDay(day(text)), "\(text)")
        }
    }
}

@Suite("Legal deadlines")
struct LegalDeadlineTests {
    @Test("Without pauses: the limit in working days after acceptance, across the Spring Festival")
    func plain() {
        let deadline = LegalDeadline.compute(acceptedOn: day("2026-02-10"), limit: 20, pauses: [],
                                             calendar: calendar2026, today: day("2026-02-10"))
        #expect(deadline.dueDay == day("2026-03-16"))
        #expect(!deadline.isProvisional)
        #expect(deadline.pausedWorkingDays == 0)
        #expect(deadline.workingDaysLeft(today: day("2026-02-10")) == 20)
        #expect(deadline.workingDaysLeft(today: day("2026-02-20")) == 16)   // in the holiday: 11, 12, 13, 14 used
        #expect(deadline.workingDaysLeft(today: day("2026-03-13")) == 1)
        #expect(deadline.workingDaysLeft(today: day("2026-03-16")) == 0)
        #expect(!deadline.isOverdue(today: day("2026-03-16")))
        #expect(deadline.workingDaysLeft(today: day("2026-03-17")) == -1)
        #expect(deadline.isOverdue(today: day("2026-03-17")))
        #expect(deadline.workingDaysLeft(today: day("2026-03-20")) == -4)
        #expect(!deadline.usesUncoveredYears && !deadline.usesProvisionalYears)
    }

    @Test("Due on a Friday: overdue from Saturday, by one working day until Tuesday")
    func overdueOverWeekend() {
        let deadline = LegalDeadline.compute(acceptedOn: day("2026-03-02"), limit: 4, pauses: [],
                                             calendar: calendar2026, today: day("2026-03-02"))
        #expect(deadline.dueDay == day("2026-03-06"))
        #expect(deadline.workingDaysLeft(today: day("2026-03-07")) == -1)
        #expect(deadline.isOverdue(today: day("2026-03-07")))
        #expect(deadline.workingDaysLeft(today: day("2026-03-09")) == -1)
        #expect(deadline.workingDaysLeft(today: day("2026-03-10")) == -2)
    }

    @Test("A supplement request moves the due day by exactly the working days paused")
    func pause() {
        let accepted = day("2026-03-02")
        let plain = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: [], calendar: calendar2026, today: accepted)
        #expect(plain.dueDay == day("2026-03-23"))

        // Requested Wed 03-04, resubmitted Tue 03-10: paused 05, 06, 09, 10 = 4 working days.
        let paused = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: [(from: day("2026-03-04"), to: day("2026-03-10"))],
                                           calendar: calendar2026, today: day("2026-03-12"))
        #expect(paused.pausedWorkingDays == 4)
        #expect(paused.pausedWorkingDays == calendar2026.workingDays(after: day("2026-03-04"), through: day("2026-03-10")))
        #expect(paused.dueDay == calendar2026.addingWorkingDays(4, to: plain.dueDay))
        #expect(paused.dueDay == day("2026-03-27"))
        #expect(!paused.isProvisional)
        // Before the request 2 days were used (03, 04); after resubmission 11 and 12.
        #expect(paused.workingDaysLeft(today: day("2026-03-12")) == 11)
    }

    @Test("A pause over a holiday counts only the working days in it")
    func pauseOverHoliday() {
        // Requested Thu 04-02, resubmitted Wed 04-08: 03 (Fri), [04-06 Qingming], 07, 08 → 3 working days.
        let deadline = LegalDeadline.compute(acceptedOn: day("2026-04-01"), limit: 10,
                                             pauses: [DeadlinePause(from: day("2026-04-02"), to: day("2026-04-08"))],
                                             calendar: calendar2026, today: day("2026-04-08"))
        #expect(deadline.pausedWorkingDays == 3)
        let plain = LegalDeadline.compute(acceptedOn: day("2026-04-01"), limit: 10, pauses: [], calendar: calendar2026, today: day("2026-04-01"))
        #expect(deadline.dueDay == calendar2026.addingWorkingDays(3, to: plain.dueDay))
    }

    @Test("While a pause is open the due day is provisional and the days left stand still")
    func openPause() {
        let accepted = day("2026-03-02")
        let pauses = [DeadlinePause(from: day("2026-03-04"), to: nil)]
        let onTuesday = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: pauses, calendar: calendar2026, today: day("2026-03-10"))
        #expect(onTuesday.isProvisional)
        #expect(onTuesday.dueDay == day("2026-03-27"))
        #expect(onTuesday.workingDaysLeft(today: day("2026-03-10")) == 13)
        let onWednesday = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: pauses, calendar: calendar2026, today: day("2026-03-11"))
        #expect(onWednesday.dueDay == day("2026-03-30"))
        #expect(onWednesday.workingDaysLeft(today: day("2026-03-11")) == 13)
        // Over a weekend nothing moves.
        let onSaturday = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: pauses, calendar: calendar2026, today: day("2026-03-14"))
        let onSunday = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: pauses, calendar: calendar2026, today: day("2026-03-15"))
        #expect(onSaturday.dueDay == onSunday.dueDay)
        // The day it closes, the closed pause gives the same due day.
        let closed = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: [(from: day("2026-03-04"), to: day("2026-03-11"))],
                                           calendar: calendar2026, today: day("2026-03-11"))
        #expect(closed.dueDay == onWednesday.dueDay)
        #expect(!closed.isProvisional)
    }

    @Test("Answered the same day, overlapping or repeated pauses count each working day once")
    func pauseEdges() {
        let accepted = day("2026-03-02")
        let plain = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: [], calendar: calendar2026, today: accepted)
        let sameDay = LegalDeadline.compute(acceptedOn: accepted, limit: 15, pauses: [(from: day("2026-03-05"), to: day("2026-03-05"))],
                                            calendar: calendar2026, today: accepted)
        #expect(sameDay.dueDay == plain.dueDay)
        let overlapping = LegalDeadline.compute(
            acceptedOn: accepted, limit: 15,
            pauses: [(from: day("2026-03-04"), to: day("2026-03-10")), (from: day("2026-03-06"), to: day("2026-03-12"))],
            calendar: calendar2026, today: day("2026-03-20"))
        // Covered 05..12: 05, 06, 09, 10, 11, 12.
        #expect(overlapping.pausedWorkingDays == 6)
        #expect(overlapping.dueDay == calendar2026.addingWorkingDays(6, to: plain.dueDay))
        let two = LegalDeadline.compute(
            acceptedOn: accepted, limit: 15,
            pauses: [(from: day("2026-03-03"), to: day("2026-03-04")), (from: day("2026-03-10"), to: day("2026-03-13"))],
            calendar: calendar2026, today: day("2026-03-20"))
        #expect(two.pausedWorkingDays == 4)
        #expect(two.dueDay == calendar2026.addingWorkingDays(4, to: plain.dueDay))
    }

    @Test("Random pauses move the due day by the working days they cover")
    func randomPauses() {
        var random = SplitMix64(seed: 8)
        for _ in 0..<1500 {
            let accepted = day("2026-01-01").adding(days: random.int(250))
            let limit = 1 + random.int(60)
            let plain = LegalDeadline.compute(acceptedOn: accepted, limit: limit, pauses: [], calendar: calendar2026, today: accepted)
            let from = accepted.adding(days: random.int(accepted.days(until: plain.dueDay)))
            let to = from.adding(days: random.int(40))
            let paused = LegalDeadline.compute(acceptedOn: accepted, limit: limit, pauses: [(from: from, to: to)],
                                               calendar: calendar2026, today: to)
            let covered = calendar2026.workingDays(after: from, through: to)
            #expect(paused.pausedWorkingDays == covered)
            #expect(paused.dueDay == calendar2026.addingWorkingDays(limit + covered, to: accepted))
            #expect(paused.workingDaysLeft(today: accepted) == limit)
            #expect(paused.workingDaysLeft(today: paused.dueDay) == 0)
            #expect(paused.workingDaysLeft(today: paused.dueDay.adding(days: 1)) == -1)
        }
    }

    @Test("A count that reaches a year without data or with projected data says so")
    func coverageFlags() throws {
        let late = LegalDeadline.compute(acceptedOn: day("2026-12-10"), limit: 30, pauses: [], calendar: calendar2026, today: day("2026-12-10"))
        #expect(late.usesUncoveredYears)
        let calendar = try WorkingDayCalendar(years: HolidayFile.load())
        let next = LegalDeadline.compute(acceptedOn: day("2026-12-10"), limit: 30, pauses: [], calendar: calendar, today: day("2026-12-10"))
        #expect(!next.usesUncoveredYears)
        #expect(next.usesProvisionalYears)
        // 2026-12-10 + 30: Dec 11..31 (15), Jan 1 off, Jan 4..(15 more) = Jan 22.
        #expect(next.dueDay == day("2027-01-22"))
    }
}

/// Reads Resources/Calendar/holidays-cn.yaml. The app decodes it with Yams; this test-only reader
/// understands just the file's shape (a list of years with flow lists of dates) so the core tests
/// can check the shipped data without a YAML dependency.
private enum HolidayFile {
    struct Missing: Error {}

    static func load() throws -> [HolidayYear] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Resources/Calendar/holidays-cn.yaml"), encoding: .utf8)
        var years: [HolidayYear] = []
        var list: WritableKeyPath<HolidayYear, [CivilDay]>?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- year:") {
                guard let year = Int(trimmed.dropFirst("- year:".count).trimmingCharacters(in: .whitespaces)) else { throw Missing() }
                years.append(HolidayYear(year: year, status: .official, source: "", holidays: [], workingWeekends: []))
                list = nil
                continue
            }
            guard !years.isEmpty else { continue }
            if trimmed.hasPrefix("status:") {
                let value = trimmed.dropFirst("status:".count).trimmingCharacters(in: .whitespaces)
                guard let status = HolidayYear.Status(rawValue: value) else { throw Missing() }
                years[years.count - 1].status = status
                continue
            }
            if trimmed.hasPrefix("source:") { years[years.count - 1].source = String(trimmed.dropFirst(7)); list = nil; continue }
            if trimmed.hasPrefix("holidays:") { list = \.holidays }
            if trimmed.hasPrefix("working_weekends:") { list = \.workingWeekends }
            guard let key = list else { continue }
            let body = trimmed.split(separator: ":", maxSplits: 1).count == 2 && trimmed.first!.isLetter
                ? String(trimmed.split(separator: ":", maxSplits: 1)[1]) : trimmed
            for token in body.split(whereSeparator: { " ,[]".contains($0) }) {
                guard let civil = CivilDay(String(token)) else { throw Missing() }
                years[years.count - 1][keyPath: key].append(civil)
            }
        }
        return years
    }
}
