import Fluent
import Foundation
import ZeroErrandCore

/// A number taken from a service point's walk-in queue. Its page is reached by `token` alone (a
/// long random value, printed as a QR code on the paper ticket), so the visitor needs no account.
final class WalkInTicket: Model, @unchecked Sendable {
    static let schema = "walk_in_tickets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "point_id") var point: ServicePoint
    /// The point's own civil day; numbers start at 1 each day.
    @Field(key: "day") var day: String
    @Field(key: "number") var number: Int
    @Field(key: "token") var token: String
    /// What the visitor said they came for (a matter code), if they said.
    @OptionalField(key: "matter_code") var matterCode: String?
    @Field(key: "status") var status: WalkInRules.Status
    @Field(key: "taken_at") var takenAt: Date
    @OptionalField(key: "called_at") var calledAt: Date?
    @OptionalParent(key: "called_by") var calledBy: Account?
    @OptionalField(key: "served_at") var servedAt: Date?

    init() {}

    var facts: WalkInRules.Ticket {
        WalkInRules.Ticket(takenAt: takenAt, calledAt: calledAt, servedAt: servedAt, calledBy: $calledBy.id, matter: matterCode, status: status)
    }
}
