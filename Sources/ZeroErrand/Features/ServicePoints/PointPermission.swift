import Fluent
import Foundation
import ZeroErrandCore

/// A visitor's time-limited permission for an overseas service point: its assistants may open and
/// fill in the visitor's cases of the chosen matters (never submit or sign) until it expires or the
/// visitor revokes it. Given by the visitor at the desk with their own password and second factor.
final class PointPermission: Model, @unchecked Sendable {
    static let schema = "point_permissions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "point_id") var point: ServicePoint
    @Parent(key: "visitor_id") var visitor: Account
    /// The assistant at whose desk it was given.
    @Parent(key: "assistant_id") var assistant: Account
    @Field(key: "matters") var matters: [String]
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// The visitor (revoked) or an assistant of the point (ended the visit early).
    @OptionalParent(key: "revoked_by") var revokedBy: Account?

    init() {}

    init(point: UUID, visitor: UUID, assistant: UUID, matters: [String], createdAt: Date, expiresAt: Date) {
        self.$point.id = point
        self.$visitor.id = visitor
        self.$assistant.id = assistant
        self.matters = matters
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    var facts: PointPermissionFacts {
        PointPermissionFacts(point: $point.id, visitor: $visitor.id, matters: Set(matters), expiresAt: expiresAt, revokedAt: revokedAt)
    }

    /// How long a visitor may let a point work for them; a visit, or a few days for scans that follow.
    static let durations: [Int] = [1, 2, 4, 72]
}
