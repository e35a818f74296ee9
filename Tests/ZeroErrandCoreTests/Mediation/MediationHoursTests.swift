import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Mediation hours across zones")
struct MediationHoursTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let madrid = MediationAttendee(zone: TimeZone(identifier: "Europe/Madrid")!)
    static let rome = MediationAttendee(zone: TimeZone(identifier: "Europe/Rome")!)
    static let wenzhou = MediationAttendee(zone: shanghai)

    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static func local(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }

    @Test("The morning of the European clock change: 08:30 Shanghai is 01:30 in Madrid, 09:00 is 03:00 CEST")
    func clockChange() {
        let madrid = Self.madrid.zone
        #expect(Self.local(Self.at("2027-03-28T00:30:00Z"), madrid) == "2027-03-28 01:30 GMT+1")
        #expect(Self.local(Self.at("2027-03-28T01:00:00Z"), madrid) == "2027-03-28 03:00 GMT+2")
        // The court hour a Chinese-zone tool would compute with a fixed +7 hours is off by one.
        let eightThirty = DaytimeHours.instant(CivilDay(year: 2027, month: 3, day: 28)!, minute: 8 * 60 + 30, in: Self.shanghai)
        #expect(Self.local(eightThirty, madrid) == "2027-03-28 01:30 GMT+1")
    }

    @Test("Madrid, Rome and Wenzhou meet in the court's afternoon; Europe's morning moves by an hour at the change")
    func threeZones() throws {
        let friday = MediationHours.answer(on: CivilDay(year: 2027, month: 3, day: 26)!, courtZone: Self.shanghai, courtSits: true,
                                           attendees: [Self.madrid, Self.rome, Self.wenzhou])
        // Before the change Europe is 7 hours behind: 08:00 Madrid is 15:00 Shanghai.
        #expect(friday.windows == [DateInterval(start: Self.at("2027-03-26T07:00:00Z"), end: Self.at("2027-03-26T09:30:00Z"))])
        #expect(friday.outOfHours.isEmpty)
        let monday = MediationHours.answer(on: CivilDay(year: 2027, month: 3, day: 29)!, courtZone: Self.shanghai, courtSits: true,
                                           attendees: [Self.madrid, Self.rome, Self.wenzhou])
        // After it, 6 hours: 08:00 Madrid is 14:00 Shanghai, when the court's afternoon begins.
        #expect(monday.windows == [DateInterval(start: Self.at("2027-03-29T06:00:00Z"), end: Self.at("2027-03-29T09:30:00Z"))])
        #expect(Self.local(monday.windows[0].start, Self.madrid.zone) == "2027-03-29 08:00 GMT+2")
        #expect(MediationHours.fits(start: Self.at("2027-03-29T06:00:00Z"), minutes: 120, in: monday))
        #expect(!MediationHours.fits(start: Self.at("2027-03-29T08:00:00Z"), minutes: 120, in: monday))
        #expect(!MediationHours.fits(start: Self.at("2027-03-29T00:30:00Z"), minutes: 60, in: monday))
    }

    @Test("No hour at all: the court does not sit, or a party's narrowed hours miss every court hour")
    func noHour() throws {
        let sunday = MediationHours.answer(on: CivilDay(year: 2027, month: 3, day: 28)!, courtZone: Self.shanghai, courtSits: false,
                                           attendees: [Self.madrid])
        #expect(sunday.isEmpty && !sunday.courtSits)
        // A party in Madrid who will only sit from 12:00 misses the court's day (which ends 11:30 there).
        let late = MediationAttendee(zone: Self.madrid.zone, waking: try #require(WakingHours(startMinute: 12 * 60, endMinute: 22 * 60)))
        let answer = MediationHours.answer(on: CivilDay(year: 2027, month: 3, day: 29)!, courtZone: Self.shanghai, courtSits: true,
                                           attendees: [Self.wenzhou, late, Self.rome])
        #expect(answer.isEmpty && answer.courtSits && answer.outOfHours == [1])
        // New York (EDT) sits until 22:00, which is 10:00 in Shanghai: the court's morning. Narrowed
        // to 20:00 it misses every court hour; Madrid narrowed to 08:00–09:00 reaches the court's
        // afternoon only, so the two never meet though each alone would.
        let newYork = TimeZone(identifier: "America/New_York")!
        let monday = CivilDay(year: 2027, month: 3, day: 29)!
        let evening = MediationHours.answer(on: monday, courtZone: Self.shanghai, courtSits: true, attendees: [MediationAttendee(zone: newYork)])
        #expect(evening.windows == [DateInterval(start: Self.at("2027-03-29T00:30:00Z"), end: Self.at("2027-03-29T02:00:00Z"))])
        let early = MediationAttendee(zone: newYork, waking: try #require(WakingHours(startMinute: 8 * 60, endMinute: 20 * 60)))
        #expect(MediationHours.answer(on: monday, courtZone: Self.shanghai, courtSits: true, attendees: [Self.wenzhou, early]).outOfHours == [1])
        let madridMorning = MediationAttendee(zone: Self.madrid.zone, waking: try #require(WakingHours(startMinute: 8 * 60, endMinute: 9 * 60)))
        let apart = MediationHours.answer(on: monday, courtZone: Self.shanghai, courtSits: true,
                                          attendees: [MediationAttendee(zone: newYork), madridMorning])
        #expect(apart.isEmpty && apart.courtSits && apart.outOfHours.isEmpty)
    }

    @Test("A party in Sydney and one in Madrid meet in the court's morning only on Sydney's evening... or not at all")
    func farApart() {
        let sydney = MediationAttendee(zone: TimeZone(identifier: "Australia/Sydney")!)
        let answer = MediationHours.answer(on: CivilDay(year: 2027, month: 3, day: 29)!, courtZone: Self.shanghai, courtSits: true,
                                           attendees: [sydney, Self.madrid])
        // Sydney (UTC+11 until April) sits 08:00–22:00 = 21:00–11:00 UTC; the court's afternoon is
        // 06:00–09:30 UTC, Madrid 06:00–20:00 UTC: the court's afternoon up to 11:00 UTC is all.
        #expect(answer.windows == [DateInterval(start: Self.at("2027-03-29T06:00:00Z"), end: Self.at("2027-03-29T09:30:00Z"))])
    }

    @Test("Waking hours must stay inside 08:00–22:00 and last an hour")
    func wakingBounds() {
        #expect(WakingHours(startMinute: 7 * 60, endMinute: 12 * 60) == nil)
        #expect(WakingHours(startMinute: 20 * 60, endMinute: 23 * 60) == nil)
        #expect(WakingHours(startMinute: 9 * 60, endMinute: 9 * 60 + 30) == nil)
        #expect(WakingHours(startMinute: 9 * 60, endMinute: 10 * 60) != nil)
    }
}
