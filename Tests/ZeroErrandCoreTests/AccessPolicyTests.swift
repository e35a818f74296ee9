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

@Suite("Record-level access")
struct RecordAccessTests {
    let citizen = Actor(accountID: UUID(), kind: .citizen)
    let office = UUID(), otherOffice = UUID()

    @Test("A case: its applicant always, its office once submitted, nobody else")
    func cases() {
        let draft = RecordAccess.CaseFacts(applicant: citizen.accountID, department: office, submitted: false)
        var submitted = draft
        submitted.submitted = true
        let clerk = Actor(accountID: UUID(), kind: .staff, roles: [.clerk], departmentID: office)
        let elsewhere = Actor(accountID: UUID(), kind: .staff, roles: [.supervisor], departmentID: otherOffice)
        let stranger = Actor(accountID: UUID(), kind: .citizen)
        let admin = Actor(accountID: UUID(), kind: .admin)
        func maySee(_ actor: Actor?, _ facts: RecordAccess.CaseFacts) -> Bool {
            RecordAccess.isApplicant(actor, of: facts) || RecordAccess.isOfficeStaff(actor, of: facts)
        }
        #expect(maySee(citizen, draft) && maySee(citizen, submitted))
        #expect(!RecordAccess.isOfficeStaff(citizen, of: submitted))
        #expect(!maySee(clerk, draft) && maySee(clerk, submitted))
        #expect(!RecordAccess.isApplicant(clerk, of: submitted))
        for outsider in [elsewhere, stranger, admin] as [Actor?] + [nil] {
            #expect(!maySee(outsider, submitted))
        }
    }

    @Test("A room invitation holds only while its role does: a moved official or assistant loses it")
    func rooms() {
        let official = Actor(accountID: UUID(), kind: .staff, roles: [.clerk], departmentID: office)
        var moved = official
        moved.departmentID = otherOffice
        #expect(RecordAccess.mayEnterRoom(official, as: .staff, sessionDepartment: office, applicant: citizen.accountID))
        #expect(!RecordAccess.mayEnterRoom(moved, as: .staff, sessionDepartment: office, applicant: citizen.accountID))
        #expect(RecordAccess.mayEnterRoom(citizen, as: .applicant, sessionDepartment: office, applicant: citizen.accountID))
        #expect(!RecordAccess.mayEnterRoom(Actor(accountID: UUID(), kind: .citizen), as: .applicant, sessionDepartment: office,
                                           applicant: citizen.accountID))
        #expect(RecordAccess.mayWorkSession(official, sessionDepartment: office) && !RecordAccess.mayWorkSession(moved, sessionDepartment: office))
        // An assistant holds a session's room only while at the point hosting it.
        let point = UUID()
        let assistant = Actor(accountID: UUID(), kind: .assistant, servicePointID: point)
        var movedAssistant = assistant
        movedAssistant.servicePointID = UUID()
        #expect(RecordAccess.mayEnterRoom(assistant, as: .other, sessionDepartment: office, applicant: citizen.accountID, sessionPoint: point))
        #expect(!RecordAccess.mayEnterRoom(movedAssistant, as: .other, sessionDepartment: office, applicant: citizen.accountID, sessionPoint: point))
        #expect(!RecordAccess.mayEnterRoom(assistant, as: .other, sessionDepartment: office, applicant: citizen.accountID, sessionPoint: nil))
        #expect(!RecordAccess.mayWorkSession(citizen, sessionDepartment: office))
    }
}
