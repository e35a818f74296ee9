import Foundation
import Testing
@testable import ZeroErrandCore

@Suite struct WalkInRulesTests {
    let nine = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ minutes: Double) -> Date { nine.addingTimeInterval(minutes * 60) }

    @Test func theWaitIsThePeopleAheadTimesTodaysVisitsOverTheDesksWorking() {
        #expect(WalkInRules.estimatedWait(ahead: 3, today: [], now: nine) == 36)
        let desk1 = UUID(), desk2 = UUID()
        let today = [WalkInRules.Ticket(takenAt: at(0), calledAt: at(5), servedAt: at(25), calledBy: desk1, status: .served),
                     WalkInRules.Ticket(takenAt: at(1), calledAt: at(10), servedAt: at(20), calledBy: desk2, status: .served),
                     WalkInRules.Ticket(takenAt: at(2), status: .waiting)]
        // Visits of 20 and 10 minutes, with the usual 12 counted three times.
        #expect(WalkInRules.visitMinutes(today) == 66.0 / 5)
        #expect(WalkInRules.desksOpen(today, now: at(30)) == 2)
        #expect(WalkInRules.estimatedWait(ahead: 3, today: today, now: at(30)) == 20)
        // One quick visit early in the day: five people ahead still wait most of an hour, not a minute.
        let quick = [WalkInRules.Ticket(takenAt: at(0), calledAt: at(1), servedAt: at(2), calledBy: desk1, status: .served)]
        #expect(WalkInRules.estimatedWait(ahead: 5, today: quick, now: at(3)) == 47)
        // An hour after anyone was called, one desk is reckoned with.
        #expect(WalkInRules.desksOpen(today, now: at(75)) == 1)
    }

    @Test func theDaysFigures() {
        let tickets = [WalkInRules.Ticket(takenAt: at(0), calledAt: at(10), servedAt: at(20), matter: "GA-PSB-001", status: .served),
                       WalkInRules.Ticket(takenAt: at(5), calledAt: at(35), matter: "GA-PSB-001", status: .absent),
                       WalkInRules.Ticket(takenAt: at(6), calledAt: at(26), servedAt: at(40), matter: "GA-OC-006", status: .served),
                       WalkInRules.Ticket(takenAt: at(7), status: .waiting),
                       WalkInRules.Ticket(takenAt: at(8), calledAt: at(38), status: .called)]
        let figures = WalkInRules.figures(tickets)
        #expect(figures.taken == 5 && figures.served == 2 && figures.absent == 1 && figures.stillWaiting == 1 && figures.atDesk == 1)
        #expect(figures.averageWaitMinutes == 23 && figures.longestWaitMinutes == 30)
        #expect(figures.matters.map(\.code) == ["GA-PSB-001", nil, "GA-OC-006"], "most first: two not said")
        #expect(WalkInRules.figures([]).averageWaitMinutes == nil)
    }
}
