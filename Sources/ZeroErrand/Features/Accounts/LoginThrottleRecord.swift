import Fluent
import Foundation
import ZeroErrandCore

/// Failed sign-ins per submitted account name (hashed), whether or not the account exists.
final class LoginThrottleRecord: Model, @unchecked Sendable {
    static let schema = "login_throttles"

    @ID(key: .id) var id: UUID?
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "failures") var failures: Int
    @OptionalField(key: "last_failure_at") var lastFailureAt: Date?

    init() {}

    init(keyHash: String) {
        self.keyHash = keyHash
        self.failures = 0
    }

    var throttle: LoginThrottle {
        get { LoginThrottle(failures: failures, lastFailureAt: lastFailureAt) }
        set { failures = newValue.failures; lastFailureAt = newValue.lastFailureAt }
    }
}
