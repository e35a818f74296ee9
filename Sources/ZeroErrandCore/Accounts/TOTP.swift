import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226).
public struct TOTP: Sendable {
    public enum Algorithm: String, Sendable { case sha1 = "SHA1", sha256 = "SHA256", sha512 = "SHA512" }

    public let secret: [UInt8]
    public let digits: Int
    public let period: Int
    public let algorithm: Algorithm

    public init(secret: [UInt8], digits: Int = 6, period: Int = 30, algorithm: Algorithm = .sha1) {
        self.secret = secret
        self.digits = digits
        self.period = period
        self.algorithm = algorithm
    }

    public func counter(at date: Date) -> UInt64 {
        UInt64(floor(date.timeIntervalSince1970 / Double(period)))
    }

    public func code(at date: Date) -> String { code(counter: counter(at: date)) }

    public func code(counter: UInt64) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8]
        switch algorithm {
        case .sha1: mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: mac = Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// Returns the matching time step so the caller can refuse a code that was already used
    /// (RFC 6238 §5.2). One step either side tolerates clock drift on the phone.
    public func matchingCounter(for candidate: String, at date: Date, window: Int = 1) -> UInt64? {
        let cleaned = candidate.filter { !$0.isWhitespace }
        guard cleaned.count == digits, cleaned.allSatisfy(\.isASCII), cleaned.allSatisfy(\.isNumber) else { return nil }
        let now = counter(at: date)
        for step in -window...window {
            let counter = step < 0 ? now &- UInt64(-step) : now &+ UInt64(step)
            if constantTimeEquals(code(counter: counter), cleaned) { return counter }
        }
        return nil
    }

    /// The `otpauth://` URI that authenticator apps import.
    public func provisioningURI(account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        let issuerParam = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParam)&algorithm=\(algorithm.rawValue)&digits=\(digits)&period=\(period)"
    }
}

public func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let a = Array(lhs.utf8), b = Array(rhs.utf8)
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
