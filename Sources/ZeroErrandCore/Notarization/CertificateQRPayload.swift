import Crypto
import Foundation

/// What a notarial certificate's QR code carries, so that a phone with no network can tell a
/// genuine certificate from a forged one using only the office's published public keys.
///
/// The text is base64url without padding (RFC 4648 §5) of these bytes, big-endian throughout:
///
/// | bytes   | field                                                                              |
/// |---------|------------------------------------------------------------------------------------|
/// | 1       | format version, 1                                                                  |
/// | 8       | key id: the first 8 bytes of SHA-256 of the office public key's DER SubjectPublicKeyInfo |
/// | 1 + n   | certificate number: its length n (1...255), then n bytes of UTF-8                  |
/// | 1       | number of holders h (1...255)                                                      |
/// | h × (1 + n) | each holder's name: its length n (1...255), then n bytes of UTF-8             |
/// | 2, 1, 1 | issue date: year, month, day (a civil date, no time or zone)                       |
/// | 32      | SHA-256 of the notarial document                                                   |
/// | 64      | signature: ECDSA P-256 with SHA-256, r then s, 32 bytes each                       |
///
/// The signature is over `signingContext` followed by every byte before the signature; the
/// context is the 28 ASCII bytes `zeroerrand-certificate-qr-v1` and a line feed (0x0A).
/// A browser checks it with WebCrypto: `crypto.subtle.verify({name: "ECDSA", hash: "SHA-256"},
/// key, signature, concat(context, body))` with the key imported as "spki"; the raw r‖s form is
/// what WebCrypto expects. The context is not transmitted; it keeps a signature made by the office
/// key for anything else from passing as a certificate.
///
/// Decoding is strict: one text for one byte string. Any other spelling (padding, whitespace,
/// "+/", stray bits in the last character), a wrong version, invalid UTF-8, an impossible date, a
/// short field or trailing bytes make the text malformed. (ECDSA signatures are randomized, so two
/// printings of one certificate carry different texts; both are genuine.)
///
/// Genuine means the office signed these fields. Whether it has revoked the certificate since
/// cannot be known offline: that needs the office's register.
public struct CertificateQRPayload: Sendable, Equatable {
    /// What the certificate says, as the phone shows it after checking.
    public struct Fields: Sendable, Equatable {
        /// As printed on the certificate, e.g. "(2026)浙温证字第123号".
        public var certificateNumber: String
        /// The holder or holders, as named on the certificate.
        public var holders: [String]
        public var issuedOn: CivilDay
        public var documentSHA256: SHA256Hash

        public init(certificateNumber: String, holders: [String], issuedOn: CivilDay, documentSHA256: SHA256Hash) {
            self.certificateNumber = certificateNumber
            self.holders = holders
            self.issuedOn = issuedOn
            self.documentSHA256 = documentSHA256
        }
    }

    /// Why fields cannot be put into a payload.
    public enum FieldProblem: String, Error, Sendable, CaseIterable {
        /// The number is empty or longer than 255 bytes of UTF-8.
        case badNumber = "bad_number"
        /// No holder, or more than 255.
        case badHolderCount = "bad_holder_count"
        /// A holder's name is empty or longer than 255 bytes of UTF-8.
        case badHolderName = "bad_holder_name"
    }

    /// What checking a text against the published keys found.
    public enum Verdict: Sendable, Equatable {
        /// Signed by the published key with this payload's key id: the fields are the office's.
        case genuine(Fields)
        /// A published key has this key id but the signature does not verify: altered or forged.
        case forged
        /// No published key has this key id (another office, a withdrawn key, or made up).
        case unknownKey
        /// Not a payload at all.
        case malformed
    }

    public static let version: UInt8 = 1
    /// Prefixed to the bytes before the signature to form the signed message; never transmitted.
    public static let signingContext = Array("zeroerrand-certificate-qr-v1\n".utf8)
    static let keyIDLength = 8
    static let signatureLength = 64

    public let keyID: [UInt8]
    public let fields: Fields
    /// Raw r‖s.
    public let signature: [UInt8]
    /// Every byte of the payload before the signature, as decoded.
    let body: [UInt8]

    /// The key id the office's QR codes name for `key`.
    public static func keyID(of key: P256.Signing.PublicKey) -> [UInt8] {
        Array(SHA256.hash(data: key.derRepresentation).prefix(keyIDLength))
    }

    /// The QR text for `fields`, signed by the office's `key`. Throws a `FieldProblem` when the
    /// fields do not fit the layout.
    public static func make(_ fields: Fields, signedBy key: P256.Signing.PrivateKey) throws -> String {
        try make(fields, keyID: keyID(of: key.publicKey), signedBy: key)
    }

    /// The same with the key id given: tests use it to make a payload whose key id lies.
    static func make(_ fields: Fields, keyID: [UInt8], signedBy key: P256.Signing.PrivateKey) throws -> String {
        precondition(keyID.count == keyIDLength, "a key id has 8 bytes")
        let body = try body(fields, keyID: keyID)
        let signature = try key.signature(for: signingContext + body)
        return Base64URL.encode(body + Array(signature.rawRepresentation))
    }

    /// The bytes before the signature, laid out as in the table above.
    static func body(_ fields: Fields, keyID: [UInt8]) throws(FieldProblem) -> [UInt8] {
        var bytes: [UInt8] = [version] + keyID
        let number = Array(fields.certificateNumber.utf8)
        guard (1...255).contains(number.count) else { throw .badNumber }
        bytes.append(UInt8(number.count))
        bytes += number
        guard (1...255).contains(fields.holders.count) else { throw .badHolderCount }
        bytes.append(UInt8(fields.holders.count))
        for holder in fields.holders {
            let name = Array(holder.utf8)
            guard (1...255).contains(name.count) else { throw .badHolderName }
            bytes.append(UInt8(name.count))
            bytes += name
        }
        let day = fields.issuedOn
        bytes += [UInt8(day.year >> 8), UInt8(day.year & 0xFF), UInt8(day.month), UInt8(day.day)]
        bytes += fields.documentSHA256.bytes
        return bytes
    }

    /// The payload in `text`, not yet checked against any key; nil when malformed.
    public static func decode(_ text: String) -> CertificateQRPayload? {
        guard let bytes = Base64URL.decode(text) else { return nil }
        var reader = Reader(bytes: bytes)
        guard reader.byte() == version, let keyID = reader.take(keyIDLength),
              let number = reader.string(), let count = reader.byte(), count >= 1
        else { return nil }
        var holders: [String] = []
        for _ in 0..<count {
            guard let name = reader.string() else { return nil }
            holders.append(name)
        }
        guard let high = reader.byte(), let low = reader.byte(), let month = reader.byte(), let dayOfMonth = reader.byte(),
              let day = CivilDay(year: Int(high) << 8 | Int(low), month: Int(month), day: Int(dayOfMonth)),
              let hashBytes = reader.take(32), let hash = SHA256Hash(bytes: hashBytes)
        else { return nil }
        let bodyLength = reader.offset
        guard let signature = reader.take(signatureLength), reader.isAtEnd else { return nil }
        return CertificateQRPayload(
            keyID: keyID,
            fields: Fields(certificateNumber: number, holders: holders, issuedOn: day, documentSHA256: hash),
            signature: signature,
            body: Array(bytes[..<bodyLength]))
    }

    /// Checks the signature with whichever of `keys` has this payload's key id. Two keys sharing
    /// an id (8 bytes make that unlikely, not impossible) are both tried.
    public func verify(against keys: [P256.Signing.PublicKey]) -> Verdict {
        let candidates = keys.filter { Self.keyID(of: $0) == keyID }
        guard !candidates.isEmpty else { return .unknownKey }
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return .forged }
        let message = Self.signingContext + body
        return candidates.contains { $0.isValidSignature(signature, for: message) } ? .genuine(fields) : .forged
    }

    /// Decodes and checks in one go: what a scanning phone asks.
    public static func verify(_ text: String, against keys: [P256.Signing.PublicKey]) -> Verdict {
        guard let payload = decode(text) else { return .malformed }
        return payload.verify(against: keys)
    }
}

/// Reads the payload's fields front to back; nil once anything is missing.
private struct Reader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        take(1)?.first
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A length byte (at least 1) and that many bytes of valid UTF-8.
    mutating func string() -> String? {
        guard let length = byte(), length >= 1, let raw = take(Int(length)) else { return nil }
        return String(validating: raw, as: UTF8.self)
    }
}
