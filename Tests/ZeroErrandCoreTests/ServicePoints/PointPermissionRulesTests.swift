import Foundation
import Testing
@testable import ZeroErrandCore

@Suite struct PointPermissionRulesTests {
    let madrid = UUID(), milan = UUID(), visitor = UUID(), other = UUID(), office = UUID()
    let noon = Date(timeIntervalSince1970: 1_800_000_000)

    var permission: PointPermissionFacts {
        PointPermissionFacts(point: madrid, visitor: visitor, matters: ["GA-PSB-001"], expiresAt: noon.addingTimeInterval(7200), revokedAt: nil)
    }

    func refusal(_ actor: Actor?, _ permission: PointPermissionFacts? = nil, applicant: UUID? = nil, matter: String = "GA-PSB-001",
                 action: ProxyAction = .view, at now: Date? = nil) -> PointRefusal? {
        RecordAccess.pointRefusal(actor, permission ?? self.permission, for: .init(applicant: applicant ?? visitor, department: office, submitted: true),
                                  action: action, matterCode: matter, now: now ?? noon)
    }

    @Test func anAssistantOfThePointMayOpenFillAndUploadWhileItLasts() {
        let assistant = Actor(accountID: UUID(), kind: .assistant, servicePointID: madrid)
        for action in [ProxyAction.view, .apply, .upload] { #expect(refusal(assistant, action: action) == nil) }
        for action in [ProxyAction.submit, .sign, .message, .collect, .pay] { #expect(refusal(assistant, action: action) == .visitorOnly) }
        #expect(refusal(assistant, at: noon.addingTimeInterval(7199)) == nil)
        #expect(refusal(assistant, at: noon.addingTimeInterval(7200)) == .expired)
        var revoked = permission
        revoked.revokedAt = noon.addingTimeInterval(-1)
        #expect(refusal(assistant, revoked) == .revoked)
        #expect(refusal(assistant, matter: "GA-PSB-002") == .outOfScope)
    }

    @Test func nobodyElseGetsAnythingFromIt() {
        #expect(refusal(Actor(accountID: UUID(), kind: .assistant, servicePointID: milan)) == .notGranted)
        #expect(refusal(Actor(accountID: UUID(), kind: .assistant, servicePointID: nil)) == .notGranted)
        #expect(refusal(Actor(accountID: UUID(), kind: .assistant, servicePointID: madrid), applicant: other) == .notGranted)
        #expect(refusal(Actor(accountID: UUID(), kind: .staff, departmentID: office)) == .notGranted)
        #expect(refusal(Actor(accountID: visitor, kind: .citizen)) == .notGranted)
        #expect(refusal(nil) == .notGranted)
    }
}
