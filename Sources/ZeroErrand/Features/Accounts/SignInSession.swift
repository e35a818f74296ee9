import Fluent
import Foundation

/// A signed-in browser. The cookie holds a random token; only its hash is stored, so a copy
/// of the database cannot be used to sign in.
final class SignInSession: Model, @unchecked Sendable {
    static let schema = "sessions"

    enum Stage: String, Codable, Sendable {
        /// Password accepted, waiting for the second factor.
        case secondFactor = "second_factor"
        /// Password accepted, but the account must set up a second factor before anything else.
        case enrolSecondFactor = "enrol_second_factor"
        /// Password accepted, but the email address is not confirmed yet: the session may only
        /// ask for the confirmation email again.
        case confirmEmail = "confirm_email"
        case signedIn = "signed_in"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "account_id") var account: Account
    @Field(key: "stage") var stage: Stage
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "client_address") var clientAddress: String
    @Field(key: "user_agent") var userAgent: String
    /// A TOTP secret being set up, sealed; it belongs to this browser's session only, so nobody
    /// else signed in to the account can see the secret the owner is about to confirm.
    @OptionalField(key: "totp_pending_secret") var totpPendingSecret: String?

    init() {}

    /// Every column, for the session read on every request (see `ModelColumns`).
    static let columns = ModelColumns<SignInSession> {
        [$0.$id, $0.$tokenHash, $0.$account, $0.$stage, $0.$createdAt, $0.$lastSeenAt, $0.$clientAddress, $0.$userAgent,
         $0.$totpPendingSecret]
    }

    init(tokenHash: String, accountID: UUID, stage: Stage, now: Date, clientAddress: String, userAgent: String) {
        self.tokenHash = tokenHash
        self.$account.id = accountID
        self.stage = stage
        self.createdAt = now
        self.lastSeenAt = now
        self.clientAddress = clientAddress
        self.userAgent = String(userAgent.prefix(300))
    }
}
