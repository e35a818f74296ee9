import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("TOTP (RFC 6238) and base32 (RFC 4648)")
struct TOTPTests {
    // RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the hash's key length.
    static let sha1Seed = Array("12345678901234567890".utf8)
    static let sha256Seed = Array("12345678901234567890123456789012".utf8)
    static let sha512Seed = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

    static let vectors: [(TimeInterval, String, String, String)] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ]

    @Test("RFC 6238 test vectors for SHA-1, SHA-256 and SHA-512", arguments: vectors)
    func rfcVectors(time: TimeInterval, sha1: String, sha256: String, sha512: String) {
        let date = Date(timeIntervalSince1970: time)
        #expect(TOTP(secret: Self.sha1Seed, digits: 8, algorithm: .sha1).code(at: date) == sha1)
        #expect(TOTP(secret: Self.sha256Seed, digits: 8, algorithm: .sha256).code(at: date) == sha256)
        #expect(TOTP(secret: Self.sha512Seed, digits: 8, algorithm: .sha512).code(at: date) == sha512)
    }

    @Test("A code from the step before or after is accepted, two steps away is not")
    func driftWindow() {
        let totp = TOTP(secret: Self.sha1Seed)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let previous = totp.code(at: now.addingTimeInterval(-30))
        let twoBack = totp.code(at: now.addingTimeInterval(-60))
        #expect(totp.matchingCounter(for: previous, at: now) == totp.counter(at: now) - 1)
        #expect(totp.matchingCounter(for: twoBack, at: now) == nil || twoBack == previous)
        #expect(totp.matchingCounter(for: "12345", at: now) == nil)
        #expect(totp.matchingCounter(for: "abcdef", at: now) == nil)
        #expect(totp.matchingCounter(for: totp.code(at: now), at: now) == totp.counter(at: now))
    }

    @Test("Codes typed with a space in the middle still match")
    func spacesIgnored() {
        let totp = TOTP(secret: Self.sha1Seed)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let code = totp.code(at: now)
        #expect(totp.matchingCounter(for: "\(code.prefix(3)) \(code.suffix(3))", at: now) != nil)
    }

    @Test("RFC 4648 base32 vectors and round trips")
    func base32() {
        let vectors = [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
                       ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.lowercased() + "====") == Array(plain.utf8))
        }
        #expect(Base32.decode("MZ1W") == nil)
        let random = (0..<20).map { _ in UInt8.random(in: 0...255) }
        #expect(Base32.decode(Base32.encode(random)) == random)
    }

    @Test("The provisioning URI names issuer, account and secret")
    func provisioningURI() {
        let uri = TOTP(secret: Array("12345678901234567890".utf8)).provisioningURI(account: "li@example.org", issuer: "ZeroErrand")
        #expect(uri == "otpauth://totp/ZeroErrand%3Ali@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ZeroErrand&algorithm=SHA1&digits=6&period=30")
    }
}
