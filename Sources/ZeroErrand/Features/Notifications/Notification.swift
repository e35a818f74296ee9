import Fluent
import Foundation

/// Something the citizen should know about, shown on the notifications page (and mailed).
/// Stored as a translation key with arguments, so it reads in whatever language the page is in.
final class AccountNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: Account
    @OptionalParent(key: "case_id") var caseRecord: Case?
    @Field(key: "key") var key: String
    @Field(key: "arguments") var arguments: [String: String]
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}
