import Crypto
import Foundation

/// The SHA-256 of some exact bytes (a notarial document as shown, a video recording): 32 bytes,
/// written as 64 lower-case hex digits where people or the database see it. A value of its own so
/// a hash cannot be mixed up with any other string, and a malformed one cannot exist.
public struct SHA256Hash: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Nil unless exactly 32 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// Exactly 64 hex digits, either case (as `Signature.sha256` and the audit log store them).
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * SHA256.byteCount else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SHA256.byteCount)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    public init(_ digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    /// The hash of `data`.
    public static func of(_ data: some DataProtocol) -> SHA256Hash {
        SHA256Hash(SHA256.hash(data: data))
    }

    /// Lower-case hex, 64 characters.
    public var hex: String { SHA256Stream.hex(bytes) }

    public var description: String { hex }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
