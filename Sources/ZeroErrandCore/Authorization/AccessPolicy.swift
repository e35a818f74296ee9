import Foundation

public enum AccountKind: String, Sendable, CaseIterable, Codable {
    case citizen, staff, assistant, admin
}

public enum StaffRole: String, Sendable, CaseIterable, Codable {
    case clerk, reviewer, notary, mediator, judge, supervisor
}

/// Who is asking, as far as authorization cares. Built once per request from the signed-in account.
public struct Actor: Sendable, Equatable {
    public var accountID: UUID
    public var kind: AccountKind
    public var roles: Set<StaffRole>
    public var departmentID: UUID?
    public var servicePointID: UUID?

    public init(accountID: UUID, kind: AccountKind, roles: Set<StaffRole> = [], departmentID: UUID? = nil, servicePointID: UUID? = nil) {
        self.accountID = accountID
        self.kind = kind
        self.roles = roles
        self.departmentID = departmentID
        self.servicePointID = servicePointID
    }
}

public enum Permission: Sendable, Equatable {
    /// Own account settings, available to every signed-in person.
    case manageOwnAccount
    /// The office workspace of the actor's own department.
    case staffWorkspace
    /// The list of colleagues in one department.
    case viewDepartmentStaff(departmentID: UUID)
    /// The desk of the actor's own overseas service point.
    case servicePointDesk
    /// Departments, staff accounts and service points.
    case manageDirectory
    case editCatalogue
    case readAuditLog
}

/// The one place that says who may do what. Every route asks it; the test matrix checks it.
public enum AccessPolicy {
    public static func allows(_ actor: Actor?, _ permission: Permission) -> Bool {
        guard let actor else { return false }
        switch permission {
        case .manageOwnAccount:
            return true
        case .staffWorkspace:
            return actor.kind == .staff && actor.departmentID != nil
        case .viewDepartmentStaff(let departmentID):
            if actor.kind == .admin { return true }
            return actor.kind == .staff && actor.departmentID == departmentID && actor.roles.contains(.supervisor)
        case .servicePointDesk:
            return actor.kind == .assistant && actor.servicePointID != nil
        case .manageDirectory, .editCatalogue, .readAuditLog:
            return actor.kind == .admin
        }
    }
}
