import Foundation
import Testing
@testable import ZeroErrandCore

private func day(_ text: String) -> CivilDay { CivilDay(text)! }
private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
private func span(_ from: String, minutes: Int = 30) -> DateInterval { DateInterval(start: utc(from), duration: TimeInterval(minutes * 60)) }
private let madrid = TimeZone(identifier: "Europe/Madrid")!
private let shanghai = TimeZone(identifier: "Asia/Shanghai")!
private let london = TimeZone(identifier: "Europe/London")!
private let losAngeles = TimeZone(identifier: "America/Los_Angeles")!

@Suite struct DaytimeHoursTests {
    @Test func daytimeIsSevenToTwentyTwoOnTheViewersClock() {
        // Saturday 27 March 2027, Madrid on winter time (UTC+1).
        #expect(DaytimeHours.share(start: utc("2027-03-27T05:30:00Z"), end: utc("2027-03-27T06:00:00Z"), in: madrid) == .night)   // 06:30–07:00
        #expect(DaytimeHours.share(start: utc("2027-03-27T06:00:00Z"), end: utc("2027-03-27T06:30:00Z"), in: madrid) == .day)     // 07:00–07:30
        #expect(DaytimeHours.share(start: utc("2027-03-27T20:30:00Z"), end: utc("2027-03-27T21:00:00Z"), in: madrid) == .day)     // 21:30–22:00
        #expect(DaytimeHours.share(start: utc("2027-03-27T20:45:00Z"), end: utc("2027-03-27T21:15:00Z"), in: madrid) == .partlyNight)
        #expect(DaytimeHours.share(start: utc("2027-03-27T21:00:00Z"), end: utc("2027-03-27T21:30:00Z"), in: madrid) == .night)   // 22:00–22:30
        #expect(DaytimeHours.share(start: utc("2027-03-27T22:45:00Z"), end: utc("2027-03-27T23:15:00Z"), in: madrid) == .night)   // across midnight
    }

    @Test func theSameInstantIsNightBeforeTheSpringClockChangeAndDayAfterIt() {
        // 05:00 UTC is 06:00 in Madrid on Saturday and 07:00 on Sunday 28 March 2027, once clocks went forward.
        #expect(DaytimeHours.isNight(start: utc("2027-03-27T05:00:00Z"), end: utc("2027-03-27T05:30:00Z"), in: madrid))
        #expect(!DaytimeHours.isNight(start: utc("2027-03-28T05:00:00Z"), end: utc("2027-03-28T05:30:00Z"), in: madrid))
        // A span across the change itself (01:30 CET to 03:30 CEST, one real hour) is night.
        #expect(DaytimeHours.share(start: utc("2027-03-28T00:30:00Z"), end: utc("2027-03-28T01:30:00Z"), in: madrid) == .night)
    }
}

@Suite struct SlotWeekTests {
    /// Shanghai 09:00 slots on each day from Monday 22 to Tuesday 30 March 2027 (night in Madrid),
    /// and one Shanghai 16:00 slot on Thursday 1 April (10:00 in Madrid, daytime).
    let slots = (22...30).map { span(String(format: "2027-03-%02dT01:00:00Z", $0)) } + [span("2027-04-01T08:00:00Z")]

    @Test func groupsByTheViewersDays() {
        // Shanghai 09:00 on Monday 29 March is still Sunday 28th, 18:00, in Los Angeles.
        let days = SlotWeek.byLocalDay(slots, in: losAngeles)
        #expect(days[day("2027-03-28")]?.map(\.start) == [utc("2027-03-29T01:00:00Z")])
        #expect(days[day("2027-03-29")]?.map(\.start) == [utc("2027-03-30T01:00:00Z")])
        #expect(SlotWeek.byLocalDay(slots, in: madrid)[day("2027-03-29")]?.map(\.start) == [utc("2027-03-29T01:00:00Z")])
    }

    @Test func aWeekOfNightTimesOnlySaysSoAndPointsToTheNextDaytimeDay() {
        let week = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-24"), lastDay: day("2027-05-20"), wanted: nil)
        #expect(week.days.map(\.day) == (22...28).map { day(String(format: "2027-03-%02d", $0)) })
        #expect(!week.hasDaytime && week.hasAny)
        // No daytime time anywhere: the first day from today with any time is shown.
        #expect(week.chosen == day("2027-03-24"))
        #expect(week.chosenDay.night.count == 1 && week.chosenDay.daytime.isEmpty)
        #expect(week.nextDaytimeDay == day("2027-04-01"))
        #expect(week.previousWeek == nil)
        #expect(week.nextWeek == day("2027-03-29"))
    }

    @Test func withoutAWantedDayTheFirstDaytimeDayOfTheWeekIsChosen() {
        let week = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-29"), lastDay: day("2027-05-20"), wanted: nil)
        #expect(week.hasDaytime)
        #expect(week.chosen == day("2027-04-01"))
        #expect(week.chosenDay.daytime.map(\.start) == [utc("2027-04-01T08:00:00Z")])
        #expect(week.nextDaytimeDay == nil)
        // Someone who asked to see night hours starts on the first day with any time.
        let night = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-29"), lastDay: day("2027-05-20"), wanted: nil, includeNight: true)
        #expect(night.chosen == day("2027-03-29"))
    }

    @Test func aWeekWithNothingAtAllIsSkippedUntilTheFirstTime() {
        let week = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-10"), lastDay: day("2027-05-10"), wanted: nil)
        #expect(week.days.first?.day == day("2027-03-22"))
        #expect(week.chosen == day("2027-03-22"))
        #expect(week.previousWeek == day("2027-03-15"))
        let none = SlotWeek(slots: [], zone: madrid, today: day("2027-03-10"), lastDay: day("2027-05-10"), wanted: nil)
        #expect(none.chosen == day("2027-03-10") && !none.hasAny && none.nextDaytimeDay == nil)
    }

    @Test func aWantedDayIsKeptWithinTodayAndTheWindow() {
        let later = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-24"), lastDay: day("2027-05-20"), wanted: day("2027-03-30"))
        #expect(later.chosen == day("2027-03-30"))
        #expect(later.previousWeek == day("2027-03-22") && later.nextWeek == day("2027-04-05"))
        let past = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-24"), lastDay: day("2027-05-20"), wanted: day("2026-01-01"))
        #expect(past.chosen == day("2027-03-24"))
        let beyond = SlotWeek(slots: slots, zone: madrid, today: day("2027-03-24"), lastDay: day("2027-05-20"), wanted: day("2030-01-01"))
        #expect(beyond.chosen == day("2027-05-20") && beyond.nextWeek == nil)
    }
}

@Suite struct HoursAcrossZonesTests {
    func rule(_ from: Int, _ to: Int, first: String = "2027-03-22", last: String = "2027-04-04") -> AvailabilityRule {
        AvailabilityRule(weekdays: Set(1...7), startMinute: from * 60, endMinute: to * 60, slotMinutes: 30, firstDay: day(first), lastDay: day(last))
    }

    @Test func shanghaiMorningsAreMadridNightsAndMoveAnHourWhenMadridChangesClocks() {
        let periods = HoursAcrossZones.periods(of: rule(9, 12), officeZone: shanghai, in: madrid)
        #expect(periods == [
            .init(firstDay: day("2027-03-22"), lastDay: day("2027-03-27"), startMinute: 2 * 60, endMinute: 5 * 60, dayShift: 0, share: .night),
            .init(firstDay: day("2027-03-28"), lastDay: day("2027-04-04"), startMinute: 3 * 60, endMinute: 6 * 60, dayShift: 0, share: .night),
        ])
    }

    @Test func hoursCanFallOnTheDayBeforeAndAcrossMidnight() {
        #expect(HoursAcrossZones.periods(of: rule(9, 12), officeZone: shanghai, in: losAngeles) == [
            .init(firstDay: day("2027-03-22"), lastDay: day("2027-04-04"), startMinute: 18 * 60, endMinute: 21 * 60, dayShift: -1, share: .day),
        ])
        // London goes onto summer time in the night of the 28th: that day's hours start on winter
        // time and end on summer time, so they last three real hours but read 22:00–02:00.
        let early = HoursAcrossZones.periods(of: rule(6, 9), officeZone: shanghai, in: london)
        #expect(early.map(\.startMinute) == [22 * 60, 22 * 60, 23 * 60])
        #expect(early.map(\.endMinute) == [60, 120, 120])
        #expect(early.map(\.firstDay) == [day("2027-03-22"), day("2027-03-28"), day("2027-03-29")])
        #expect(early.allSatisfy { $0.dayShift == -1 && $0.share == .night })
    }

    @Test func hoursPartlyAtNightAreSaidToBe() {
        // 13:00–16:00 in Shanghai is 06:00–09:00 in Madrid in winter.
        let periods = HoursAcrossZones.periods(of: rule(13, 16, last: "2027-03-26"), officeZone: shanghai, in: madrid)
        #expect(periods.map(\.share) == [.partlyNight])
    }

    @Test func onlyTheRulesWeekdaysCount() {
        let mondays = AvailabilityRule(weekdays: [1], startMinute: 540, endMinute: 720, slotMinutes: 30, firstDay: day("2027-03-22"), lastDay: day("2027-04-04"))
        let periods = HoursAcrossZones.periods(of: mondays, officeZone: shanghai, in: madrid)
        #expect(periods.map(\.firstDay) == [day("2027-03-22"), day("2027-03-29")])
        #expect(periods.map(\.lastDay) == [day("2027-03-22"), day("2027-03-29")])
    }
}

@Suite struct BookingWindowTests {
    @Test func namesTheFirstPublishedDayCitizensCannotBookYet() {
        let window = BookingWindow(days: 60)
        let now = utc("2026-10-20T00:00:00Z")   // 08:00 in Shanghai; the window ends 2026-12-19 08:00 there
        #expect(window.lastDay(now: now, in: shanghai) == day("2026-12-19"))
        let far = AvailabilityRule(weekdays: Set(1...7), startMinute: 540, endMinute: 720, slotMinutes: 30,
                                   firstDay: day("2026-12-01"), lastDay: day("2027-01-15"))
        #expect(window.firstDayBeyond(far, now: now, in: shanghai) == day("2026-12-19"))
        var early = far
        early.startMinute = 7 * 60
        early.endMinute = 9 * 60
        // 07:00 on the 19th is still inside the window.
        #expect(window.firstDayBeyond(early, now: now, in: shanghai) == day("2026-12-20"))
        var near = far
        near.lastDay = day("2026-12-18")
        #expect(window.firstDayBeyond(near, now: now, in: shanghai) == nil)
        #expect(window.contains(utc("2026-12-18T23:59:00Z"), now: now) && !window.contains(utc("2026-12-19T00:00:00Z"), now: now))
    }
}
