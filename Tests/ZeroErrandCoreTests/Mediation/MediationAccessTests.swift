import Foundation
import Testing
@testable import ZeroErrandCore

private typealias M = Mediation

@Suite("Who sees what of a mediation")
struct MediationAccessTests {
    static let court = M.id(90), otherCourt = M.id(91)
    static let facts = RecordAccess.MediationFacts(
        court: court, mediator: M.mediator, judge: M.judge,
        partyAccounts: [M.madridAccount: .plaintiff, M.romeAccount: .plaintiff, M.wenzhouAgent: .defendant], filed: true)

    static func citizen(_ id: UUID) -> Actor { Actor(accountID: id, kind: .citizen, roles: [], departmentID: nil) }
    static func staff(_ id: UUID, _ department: UUID) -> Actor { Actor(accountID: id, kind: .staff, roles: [.clerk], departmentID: department) }

    @Test("Each party reads the shared papers and their own side's; the mediator reads all; the judge and clerk the shared and what a side gave the court")
    func audiences() {
        let expected: [(Actor, RecordAccess.MediationViewer?, Set<RecordAccess.MediationAudience>)] = [
            (Self.citizen(M.madridAccount), .party(.plaintiff), [.shared, .plaintiff, .plaintiffAndCourt]),
            (Self.citizen(M.wenzhouAgent), .party(.defendant), [.shared, .defendant, .defendantAndCourt]),
            (Self.staff(M.mediator, Self.court), .mediator, Set(RecordAccess.MediationAudience.allCases)),
            (Self.staff(M.judge, Self.court), .judge, [.shared, .plaintiffAndCourt, .defendantAndCourt]),
            (Self.staff(M.clerk, Self.court), .court, [.shared, .plaintiffAndCourt, .defendantAndCourt]),
            (Self.citizen(M.wenzhouAccount), nil, []),
            (Self.citizen(M.stranger), nil, []),
            (Self.staff(M.mediator, Self.otherCourt), nil, []),
            (Actor(accountID: M.madridAccount, kind: .assistant, roles: [], departmentID: nil), nil, []),
        ]
        for (actor, viewer, readable) in expected {
            let found = RecordAccess.mediationViewer(actor, Self.facts)
            #expect(found == viewer, "\(actor)")
            let reads = Set(RecordAccess.MediationAudience.allCases.filter { audience in found.map { RecordAccess.mayRead($0, audience) } ?? false })
            #expect(reads == readable, "\(actor)")
            // Nobody may write for an audience they could not read.
            if let found { #expect(Set(RecordAccess.writableAudiences(found)).isSubset(of: reads)) }
        }
        var draft = Self.facts
        draft.filed = false
        #expect(RecordAccess.mediationViewer(Self.staff(M.clerk, Self.court), draft) == nil)
        #expect(RecordAccess.mediationViewer(Self.citizen(M.madridAccount), draft) == .party(.plaintiff))
        #expect(RecordAccess.mediationViewer(nil, Self.facts) == nil)
    }
}
