import Fluent
import Foundation

/// A single-use token sent by email: to confirm an address, to reset a password, or to let an
/// invited staff member choose one. Stored as a keyed hash only.
final class EmailToken: Model, @unchecked Sendable {
    static let schema = "email_tokens"

    enum Purpose: String, Codable, Sendable {
        case confirmEmail = "confirm_email"
        case resetPassword = "reset_password"
        /// An administrator created a staff account; the person chooses their password.
        case invitation

        var lifetime: TimeInterval {
            switch self {
            case .confirmEmail: 48 * 3600
            case .resetPassword: 2 * 3600
            case .invitation: 72 * 3600
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: Account
    @Field(key: "purpose") var purpose: Purpose
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(accountID: UUID, purpose: Purpose, tokenHash: String, expiresAt: Date) {
        self.$account.id = accountID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}
