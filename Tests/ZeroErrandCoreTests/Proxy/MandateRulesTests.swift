import Foundation
import Testing
@testable import ZeroErrandCore

private let day = CivilDay(year: 2026, month: 12, day: 4)!
private let caseA = UUID(), caseB = UUID()
private let principal = UUID(), holder = UUID()

private func mandate(_ status: MandateStatus = .accepted, scope: MandateScope = .matters(["GA-PSB-001"]),
                     limits: MandateLimits = MandateLimits(mayCollect: false, maySign: false, mayPay: false)) -> MandateFacts {
    MandateFacts(status: status, scope: scope, validFrom: day, validUntil: day.adding(days: 30), limits: limits)
}

@Suite("Mandate rules")
struct MandateRulesTests {
    @Test("Every kind of action is refused outside the scope, the dates or the status; allowed inside")
    func everyAction() {
        for action in ProxyAction.allCases {
            let granted = MandateLimits(mayCollect: true, maySign: true, mayPay: true)
            #expect(MandateRules.refusal(mandate(limits: granted), action: action, matterCode: "GA-PSB-001", caseID: caseA, today: day) == nil, "\(action)")
            #expect(MandateRules.refusal(mandate(limits: granted), action: action, matterCode: "GA-PSB-006", caseID: caseA, today: day) == .outOfScope)
            #expect(MandateRules.refusal(mandate(limits: granted), action: action, matterCode: "GA-PSB-001", caseID: caseA,
                                         today: day.adding(days: 31)) == .expired)
            #expect(MandateRules.refusal(mandate(limits: granted), action: action, matterCode: "GA-PSB-001", caseID: caseA,
                                         today: day.adding(days: -1)) == .notYetValid)
            for status in [MandateStatus.draft, .invited, .declined] {
                #expect(MandateRules.refusal(mandate(status, limits: granted), action: action, matterCode: "GA-PSB-001", caseID: caseA,
                                             today: day) == .notAccepted)
            }
            #expect(MandateRules.refusal(mandate(.revoked, limits: granted), action: action, matterCode: "GA-PSB-001", caseID: caseA,
                                         today: day) == .revoked)
            // One case: that case only, and never a new application.
            let oneCase = MandateRules.refusal(mandate(scope: .oneCase(caseA), limits: granted), action: action, matterCode: "GA-PSB-001",
                                               caseID: caseA, today: day)
            #expect(oneCase == (action == .apply ? .outOfScope : nil), "\(action)")
            #expect(MandateRules.refusal(mandate(scope: .oneCase(caseA), limits: granted), action: action, matterCode: "GA-PSB-001",
                                         caseID: caseB, today: day) == .outOfScope)
        }
        // The last day counts; the limits are needed for what they name and nothing else.
        #expect(MandateRules.refusal(mandate(), action: .view, matterCode: "GA-PSB-001", caseID: caseA, today: day.adding(days: 30)) == nil)
        for action in [ProxyAction.sign, .collect, .pay] {
            #expect(MandateRules.refusal(mandate(), action: action, matterCode: "GA-PSB-001", caseID: caseA, today: day) == .limitNotGranted)
        }
    }

    @Test("Only the relative who accepted it, on the principal's cases")
    func holderOnly() {
        let facts = RecordAccess.CaseFacts(applicant: principal, department: UUID(), submitted: true)
        let proxy = RecordAccess.ProxyFacts(holder: holder, principal: principal, mandate: mandate())
        let refusal = { (actor: Actor) in
            RecordAccess.proxyRefusal(actor, proxy, for: facts, action: .view, matterCode: "GA-PSB-001", caseID: caseA, today: day)
        }
        #expect(refusal(Actor(accountID: holder, kind: .citizen)) == nil)
        #expect(refusal(Actor(accountID: UUID(), kind: .citizen)) == .notHolder)
        #expect(refusal(Actor(accountID: holder, kind: .staff)) == .notHolder)
        let otherPrincipal = RecordAccess.CaseFacts(applicant: UUID(), department: UUID(), submitted: true)
        #expect(RecordAccess.proxyRefusal(Actor(accountID: holder, kind: .citizen), proxy, for: otherPrincipal, action: .view,
                                          matterCode: "GA-PSB-001", caseID: caseA, today: day) == .notHolder)
        let unaccepted = RecordAccess.ProxyFacts(holder: nil, principal: principal, mandate: mandate(.invited))
        #expect(RecordAccess.proxyRefusal(Actor(accountID: holder, kind: .citizen), unaccepted, for: facts, action: .view,
                                          matterCode: "GA-PSB-001", caseID: caseA, today: day) == .notHolder)
    }

    @Test("Dates a citizen writes: an end after the start, nothing in the past, at most two years")
    func terms() {
        #expect(MandateRules.dateProblem(validFrom: day, validUntil: day.adding(days: -1), today: day) == .endsBeforeStart)
        #expect(MandateRules.dateProblem(validFrom: day.adding(days: -9), validUntil: day.adding(days: -1), today: day) == .endsInPast)
        #expect(MandateRules.dateProblem(validFrom: day.adding(days: -1), validUntil: day.adding(days: 9), today: day) == .startsInPast)
        #expect(MandateRules.dateProblem(validFrom: day, validUntil: day.adding(days: MandateRules.longestValidity + 1), today: day) == .tooLong)
        #expect(MandateRules.dateProblem(validFrom: day, validUntil: day.adding(days: MandateRules.longestValidity), today: day) == nil)
        #expect(MandateRules.dateProblem(validFrom: day, validUntil: day, today: day) == nil)
    }

    @Test("Who sees a mandate")
    func viewers() {
        let see = { (actor: Actor, status: MandateStatus, holderID: UUID?, invited: Bool, officeCase: Bool) in
            RecordAccess.mandateViewer(actor, principal: principal, holder: holderID, status: status,
                                       actorHasInvitedAddress: invited, officeHasCase: officeCase)
        }
        #expect(see(Actor(accountID: principal, kind: .citizen), .draft, nil, false, false) == .principal)
        #expect(see(Actor(accountID: holder, kind: .citizen), .invited, nil, true, false) == .invitee)
        #expect(see(Actor(accountID: holder, kind: .citizen), .draft, nil, true, false) == nil, "not before it is signed")
        #expect(see(Actor(accountID: holder, kind: .citizen), .accepted, holder, true, false) == .holder)
        #expect(see(Actor(accountID: UUID(), kind: .citizen), .accepted, holder, true, false) == nil, "the address alone is not enough once accepted")
        #expect(see(Actor(accountID: UUID(), kind: .staff, departmentID: UUID()), .accepted, holder, false, true) == .office)
        #expect(see(Actor(accountID: UUID(), kind: .staff, departmentID: UUID()), .accepted, holder, false, false) == nil)
        #expect(see(Actor(accountID: UUID(), kind: .admin), .accepted, holder, false, true) == nil)
    }
}
