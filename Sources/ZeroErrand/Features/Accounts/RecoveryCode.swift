import Fluent
import Foundation

/// A single-use code that stands in for the authenticator app. Stored as a keyed hash only.
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: Account
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(accountID: UUID, codeHash: String) {
        self.$account.id = accountID
        self.codeHash = codeHash
    }
}
