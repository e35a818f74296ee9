import Foundation

/// A visitor's permission for an overseas service point, as the case rules see it: which point,
/// whose cases, which matters, until when.
public struct PointPermissionFacts: Sendable, Equatable {
    public var point: UUID
    public var visitor: UUID
    /// Matter codes the visitor chose; the point never reaches a case of another matter.
    public var matters: Set<String>
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(point: UUID, visitor: UUID, matters: Set<String>, expiresAt: Date, revokedAt: Date?) {
        self.point = point
        self.visitor = visitor
        self.matters = matters
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public func isInForce(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}

public enum PointRefusal: String, Sendable, Equatable, CaseIterable {
    /// Not an assistant of the point the permission names, or not the visitor's case.
    case notGranted = "not_granted"
    case outOfScope = "out_of_scope"
    case revoked
    case expired
    /// Submitting, withdrawing, signing, messaging the office, paying, collecting: the visitor's
    /// own acts, done with their own second factor.
    case visitorOnly = "visitor_only"
}

extension RecordAccess {
    /// What an assistant may do under a visitor's permission: open the case and fill it in (start an
    /// application, upload scans). Asked on every request, so a revoked or expired permission stops
    /// working at once, on every case route.
    public static let assistantActions: Set<ProxyAction> = [.view, .apply, .upload]

    /// An assistant acting on a visitor's case under the permission `permission`: nil when `action`
    /// is allowed now, otherwise why not.
    public static func pointRefusal(_ actor: Actor?, _ permission: PointPermissionFacts, for facts: CaseFacts,
                                    action: ProxyAction, matterCode: String, now: Date) -> PointRefusal? {
        guard let actor, actor.kind == .assistant, let point = actor.servicePointID, point == permission.point,
              permission.visitor == facts.applicant else { return .notGranted }
        guard permission.matters.contains(matterCode) else { return .outOfScope }
        if permission.revokedAt != nil { return .revoked }
        if now >= permission.expiresAt { return .expired }
        return assistantActions.contains(action) ? nil : .visitorOnly
    }

    /// A permission is its visitor's to read and revoke; the point reaches it only through the desk.
    public static func isPointPermissionVisitor(_ actor: Actor?, visitor: UUID) -> Bool {
        guard let actor else { return false }
        return actor.kind == .citizen && actor.accountID == visitor
    }

    /// The same permission, for starting a new application in the visitor's name at the desk.
    public static func pointApplyRefusal(_ actor: Actor?, _ permission: PointPermissionFacts, matterCode: String, now: Date) -> PointRefusal? {
        let facts = CaseFacts(applicant: permission.visitor, department: UUID(), submitted: false)
        return pointRefusal(actor, permission, for: facts, action: .apply, matterCode: matterCode, now: now)
    }
}
