import Crypto
import Foundation

/// Time-limited TURN credentials in the "TURN REST API" scheme coturn implements with
/// `use-auth-secret`: the username carries its expiry, the password is HMAC-SHA1(secret, username),
/// so the TURN server checks them with the shared secret alone and no account is stored anywhere.
public struct TURNCredentials: Sendable, Equatable {
    public let username: String
    public let credential: String
    public let expires: Date

    /// `label` names the holder for the TURN server's logs; it must not be personal data.
    public init(secret: String, label: String, now: Date, lifetime: TimeInterval) {
        let expiry = Int((now.timeIntervalSince1970 + lifetime).rounded(.down))
        username = "\(expiry):\(label)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        credential = Data(mac).base64EncodedString()
        expires = Date(timeIntervalSince1970: TimeInterval(expiry))
    }
}
