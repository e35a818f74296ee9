import Foundation
import Testing
@testable import ZeroErrandCore

private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
private let madrid = TimeZone(identifier: "Europe/Madrid")!

@Suite struct OpeningHoursTests {
    @Test func readsDaysAndHoursAndWritesThemBackTheSameWay() throws {
        let hours = try OpeningHours.parse("mon-fri 09:30-17:30;  sat 10:00-14:00")
        #expect(hours.spans(on: 1).map(\.open) == [570])
        #expect(hours.spans(on: 5).map(\.close) == [1050])
        #expect(hours.spans(on: 6).map(\.open) == [600])
        #expect(hours.spans(on: 7).isEmpty)
        #expect(hours.text == "mon-fri 09:30-17:30; sat 10:00-14:00")
        let split = try OpeningHours.parse("tue,thu 14:30-18:30; tue-sat 09:00-13:00")
        #expect(split.spans(on: 2).map(\.open) == [540, 870])
        #expect(try OpeningHours.parse(split.text) == split)
    }

    @Test func namesWhatItCannotRead() {
        #expect(throws: OpeningHours.Problem.empty) { try OpeningHours.parse(" ; ") }
        #expect(throws: OpeningHours.Problem.unreadable("monday 09:00-17:00")) { try OpeningHours.parse("monday 09:00-17:00") }
        #expect(throws: OpeningHours.Problem.unreadable("fri-mon 09:00-17:00")) { try OpeningHours.parse("fri-mon 09:00-17:00") }
        #expect(throws: OpeningHours.Problem.unreadable("mon 9:00-17:00")) { try OpeningHours.parse("mon 9:00-17:00") }
        #expect(throws: OpeningHours.Problem.unreadable("mon 09:00-25:00")) { try OpeningHours.parse("mon 09:00-25:00") }
        #expect(throws: OpeningHours.Problem.closesBeforeOpening("sat 14:00-10:00")) { try OpeningHours.parse("sat 14:00-10:00") }
    }

    @Test func openOrClosedOnThePointsOwnClockAcrossAClockChange() throws {
        let hours = try OpeningHours.parse("mon-fri 09:30-17:30; sat 10:00-14:00")
        // Friday 26 March 2027: Madrid is UTC+1; 08:45 UTC is 09:45 there.
        #expect(hours.isOpen(at: utc("2027-03-26T08:45:00Z"), in: madrid))
        #expect(hours.closing(after: utc("2027-03-26T08:45:00Z"), in: madrid) == 1050)
        #expect(!hours.isOpen(at: utc("2027-03-26T08:15:00Z"), in: madrid))   // 09:15
        // Monday 29 March, after the change to UTC+2: 07:45 UTC is 09:45, open; the same UTC time a week earlier was not.
        #expect(hours.isOpen(at: utc("2027-03-29T07:45:00Z"), in: madrid))
        #expect(!hours.isOpen(at: utc("2027-03-22T07:45:00Z"), in: madrid))
        // Saturday 14:00 is closing time: closed.
        #expect(!hours.isOpen(at: utc("2027-03-27T13:00:00Z"), in: madrid))
    }

    @Test func theNextOpeningIsLaterTodayOrOnTheNextOpenDay() throws {
        let hours = try OpeningHours.parse("mon-fri 09:30-17:30; sat 10:00-14:00")
        // Friday 08:00 in Madrid: opens at 09:30 the same day.
        #expect(hours.nextOpening(after: utc("2027-03-26T07:00:00Z"), in: madrid)! == (5, 570))
        // Saturday 15:00: next is Monday 09:30 (Sunday is closed).
        #expect(hours.nextOpening(after: utc("2027-03-27T14:00:00Z"), in: madrid)! == (1, 570))
    }

    @Test func distancesBetweenCities() {
        let madrid = GeoPoint(latitude: 40.4168, longitude: -3.7038)!
        let barcelona = GeoPoint(latitude: 41.3874, longitude: 2.1686)!
        let saoPaulo = GeoPoint(latitude: -23.5558, longitude: -46.6396)!
        #expect(abs(madrid.kilometres(to: barcelona) - 505) < 5)
        #expect(abs(madrid.kilometres(to: saoPaulo) - 8380) < 60)
        #expect(madrid.kilometres(to: madrid) == 0)
        #expect(GeoPoint(latitude: 91, longitude: 0) == nil)
    }

    @Test func aSessionAtThePointFitsInsideOneOpenSpan() throws {
        let hours = try OpeningHours.parse("tue-sat 09:00-13:00; tue-fri 14:30-18:30")
        // Tuesday 30 March 2027 in Madrid (UTC+2): 11:00-11:30 fits, 12:45-13:15 runs past closing,
        // 13:30 is the lunch break, 14:30-15:00 fits the afternoon.
        #expect(hours.covers(start: utc("2027-03-30T09:00:00Z"), end: utc("2027-03-30T09:30:00Z"), in: madrid))
        #expect(!hours.covers(start: utc("2027-03-30T10:45:00Z"), end: utc("2027-03-30T11:15:00Z"), in: madrid))
        #expect(!hours.covers(start: utc("2027-03-30T11:30:00Z"), end: utc("2027-03-30T12:00:00Z"), in: madrid))
        #expect(hours.covers(start: utc("2027-03-30T12:30:00Z"), end: utc("2027-03-30T13:00:00Z"), in: madrid))
        // Monday is closed.
        #expect(!hours.covers(start: utc("2027-03-29T09:00:00Z"), end: utc("2027-03-29T09:30:00Z"), in: madrid))
    }
}
