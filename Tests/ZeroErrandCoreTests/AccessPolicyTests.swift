import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Who may do what")
struct AccessPolicyTests {
    let police = UUID()
    let notary = UUID()

    var people: [String: Actor] {
        [
            "citizen": Actor(accountID: UUID(), kind: .citizen),
            "clerk": Actor(accountID: UUID(), kind: .staff, roles: [.clerk], departmentID: police),
            "supervisor": Actor(accountID: UUID(), kind: .staff, roles: [.supervisor], departmentID: police),
            "other supervisor": Actor(accountID: UUID(), kind: .staff, roles: [.supervisor], departmentID: notary),
            "assistant": Actor(accountID: UUID(), kind: .assistant, servicePointID: UUID()),
            "admin": Actor(accountID: UUID(), kind: .admin),
        ]
    }

    @Test("The permission matrix")
    func matrix() {
        let expected: [(Permission, Set<String>)] = [
            (.manageOwnAccount, ["citizen", "clerk", "supervisor", "other supervisor", "assistant", "admin"]),
            (.staffWorkspace, ["clerk", "supervisor", "other supervisor"]),
            (.viewDepartmentStaff(departmentID: police), ["supervisor", "admin"]),
            (.servicePointDesk, ["assistant"]),
            (.manageDirectory, ["admin"]),
            (.editCatalogue, ["admin"]),
            (.readAuditLog, ["admin"]),
        ]
        for (permission, allowed) in expected {
            for (name, actor) in people {
                #expect(AccessPolicy.allows(actor, permission) == allowed.contains(name), "\(name) / \(permission)")
            }
            #expect(!AccessPolicy.allows(nil, permission), "signed out / \(permission)")
        }
    }

    @Test("Staff without a department and assistants without a point get no workspace")
    func unplaced() {
        #expect(!AccessPolicy.allows(Actor(accountID: UUID(), kind: .staff, roles: [.clerk]), .staffWorkspace))
        #expect(!AccessPolicy.allows(Actor(accountID: UUID(), kind: .assistant), .servicePointDesk))
    }
}
