import Crypto
import Foundation
import Testing
@testable import ZeroErrandCore

/// The office key of the fixed test vector: its scalar is SHA-256("zeroerrand test office key 1").
private let vectorKey = try! P256.Signing.PrivateKey(rawRepresentation: Data(SHA256.hash(data: Data("zeroerrand test office key 1".utf8))))
private let otherOfficeKey = P256.Signing.PrivateKey()
private let issuedOn = CivilDay(year: 2026, month: 12, day: 4)!

private let fields = CertificateQRPayload.Fields(
    certificateNumber: "(2026)浙温证字第123号",
    holders: ["张三", "李四"],
    issuedOn: issuedOn,
    documentSHA256: SHA256Hash.of(Data("gift contract, version 3".utf8)))

/// Made once by an independent implementation (Python's `cryptography`, signing context + body
/// with ECDSA P-256/SHA-256, r‖s) from the key and fields above, and checked with Node's WebCrypto
/// `crypto.subtle.verify`: the format is what a browser can check.
private let vectorText = "AWCazg_zH6U5GygyMDI2Kea1mea4qeivgeWtl-esrDEyM-WPtwIG5byg5LiJBuadjuWbmwfqDAS5gHOzw-tlmTtVDTO6xO8JrN_5efrhnP5LLGkN6oXhD1CHBfxccQk9pN4MkZvZNAfzNlW26UR3e2tHx_zdbPtBb9qFJyKp2O97PI-fzDhVMKRx3kMquzJvT4Xc5Zydm6w"

private func hex(_ bytes: [UInt8]) -> String { SHA256Stream.hex(bytes) }

private func bytes(hex text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

@Suite("Certificate QR payload")
struct CertificateQRPayloadTests {
    @Test("Fixed vector: the byte layout, the key id, and a signature made elsewhere")
    func fixedVector() throws {
        #expect(hex(Array(vectorKey.publicKey.derRepresentation)) == "3059301306072a8648ce3d020106082a8648ce3d03010703420004"
            + "bd1171f670bf1ce545c9cbbe251eb0247118890a0b0064405b6ee1293e0432b3"
            + "25a0083253e5525b97b9176cf07fbb6bf4229cc5fcee7bbf3e8b8caa547ce216")
        #expect(hex(CertificateQRPayload.keyID(of: vectorKey.publicKey)) == "609ace0ff31fa539")
        #expect(String(decoding: CertificateQRPayload.signingContext, as: UTF8.self) == "zeroerrand-certificate-qr-v1\n")

        let layout = [
            "01",                                                                 // format version
            "609ace0ff31fa539",                                                   // key id
            "1b", "283230323629e6b599e6b8a9e8af81e5ad97e7acac313233e58fb7",       // 27 bytes: (2026)浙温证字第123号
            "02",                                                                 // two holders
            "06", "e5bca0e4b889",                                                 // 张三
            "06", "e69d8ee59b9b",                                                 // 李四
            "07ea", "0c", "04",                                                   // 2026-12-04
            "b98073b3c3eb65993b550d33bac4ef09acdff979fae19cfe4b2c690dea85e10f",   // document SHA-256
        ].joined()
        let body = try CertificateQRPayload.body(fields, keyID: CertificateQRPayload.keyID(of: vectorKey.publicKey))
        #expect(hex(body) == layout)

        let payload = try #require(CertificateQRPayload.decode(vectorText))
        #expect(payload.fields == fields)
        #expect(hex(payload.body) == layout)
        #expect(payload.signature.count == 64)
        #expect(Base64URL.decode(vectorText) == bytes(hex: layout) + payload.signature)
        #expect(CertificateQRPayload.verify(vectorText, against: [otherOfficeKey.publicKey, vectorKey.publicKey]) == .genuine(fields))
        #expect(vectorText.count == 203)
    }

    @Test("Round trip with Chinese and long names, small enough for a QR code")
    func roundTrip() throws {
        let keys = [otherOfficeKey.publicKey, vectorKey.publicKey]
        let text = try CertificateQRPayload.make(fields, signedBy: vectorKey)
        #expect(CertificateQRPayload.verify(text, against: keys) == .genuine(fields))
        #expect(text.count < 300)
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })

        var family = fields
        family.holders = ["欧阳娜娜", "司马相如", "Maria Fernanda González Rodríguez"]
        family.certificateNumber = "(2026)粤穗南证字第123456号"
        let long = try CertificateQRPayload.make(family, signedBy: otherOfficeKey)
        #expect(CertificateQRPayload.verify(long, against: keys) == .genuine(family))
        #expect(long.count < 300, "\(long.count) characters")

        // ECDSA signatures are randomized: two texts for one certificate, both genuine.
        let again = try CertificateQRPayload.make(fields, signedBy: vectorKey)
        #expect(again != text)
        #expect(CertificateQRPayload.verify(again, against: keys) == .genuine(fields))
    }

    @Test("One changed character anywhere is never genuine")
    func changedCharacter() throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let text = Array(try CertificateQRPayload.make(fields, signedBy: vectorKey))
        var random = SplitMix64(seed: 11)
        for index in text.indices {
            for _ in 0..<3 {
                var changed = text
                repeat { changed[index] = alphabet[random.int(alphabet.count)] } while changed[index] == text[index]
                let verdict = CertificateQRPayload.verify(String(changed), against: [vectorKey.publicKey])
                #expect(!isGenuine(verdict), "position \(index): \(verdict)")
            }
        }
    }

    @Test("One flipped bit anywhere is never genuine")
    func flippedBit() throws {
        let original = try #require(Base64URL.decode(try CertificateQRPayload.make(fields, signedBy: vectorKey)))
        var verdicts: [String: Int] = [:]
        for bit in 0..<original.count * 8 {
            var bytes = original
            bytes[bit / 8] ^= 1 << (bit % 8)
            let verdict = CertificateQRPayload.verify(Base64URL.encode(bytes), against: [vectorKey.publicKey])
            #expect(!isGenuine(verdict), "bit \(bit): \(verdict)")
            verdicts["\(verdict)", default: 0] += 1
        }
        // Most flips leave a well-formed payload the key no longer signs; some break the layout.
        #expect(verdicts["forged", default: 0] > original.count * 4)
    }

    @Test("A payload signed by another key that claims the office's key id is forged")
    func claimedKeyID() throws {
        let officeID = CertificateQRPayload.keyID(of: vectorKey.publicKey)
        let impostor = try CertificateQRPayload.make(fields, keyID: officeID, signedBy: otherOfficeKey)
        #expect(CertificateQRPayload.decode(impostor)?.keyID == officeID)
        #expect(CertificateQRPayload.verify(impostor, against: [vectorKey.publicKey]) == .forged)
        // A genuine payload's signature moved under other fields is forged too.
        var other = fields
        other.holders = ["王五"]
        let genuine = try #require(CertificateQRPayload.decode(vectorText))
        let moved = try CertificateQRPayload.body(other, keyID: officeID) + genuine.signature
        #expect(CertificateQRPayload.verify(Base64URL.encode(moved), against: [vectorKey.publicKey]) == .forged)
    }

    @Test("A key id no published key has is unknown")
    func unknownKey() throws {
        let text = try CertificateQRPayload.make(fields, signedBy: otherOfficeKey)
        #expect(CertificateQRPayload.verify(text, against: [vectorKey.publicKey]) == .unknownKey)
        #expect(CertificateQRPayload.verify(text, against: []) == .unknownKey)
        #expect(CertificateQRPayload.verify(vectorText, against: [otherOfficeKey.publicKey]) == .unknownKey)
    }

    @Test("Truncated, padded, re-spelled or otherwise broken text is malformed")
    func malformed() throws {
        let keys = [vectorKey.publicKey]
        let text = vectorText
        for length in 0..<text.count {
            #expect(CertificateQRPayload.verify(String(text.prefix(length)), against: keys) == .malformed, "first \(length) characters")
        }
        let raw = try #require(Base64URL.decode(text))
        let broken: [String: String] = [
            "padding": text + "=",
            "whitespace": String(text.prefix(20)) + " " + String(text.dropFirst(20)),
            "line break": text + "\n",
            "standard alphabet": text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"),
            "trailing byte": Base64URL.encode(raw + [0]),
            "missing byte": Base64URL.encode(Array(raw.dropLast())),
            "version 2": Base64URL.encode([2] + raw.dropFirst()),
            "stray bits in the last character": String(text.dropLast()) + String(UnicodeScalar(text.unicodeScalars.last!.value + 1)!),
        ]
        for (name, text) in broken {
            #expect(CertificateQRPayload.verify(text, against: keys) == .malformed, "\(name)")
        }

        // Fields that cannot be: no holders, an empty name, invalid UTF-8, a date that does not exist.
        let keyID = CertificateQRPayload.keyID(of: vectorKey.publicKey)
        let number: [UInt8] = [3] + Array("(1)".utf8)
        let oneHolder: [UInt8] = [1, 1, 0x41]
        let date: [UInt8] = [0x07, 0xEA, 12, 4]
        /// A payload from its middle parts: version, key id before; hash and a dummy signature after.
        func payload(_ middle: [[UInt8]]) -> String {
            Base64URL.encode([1] + keyID + middle.flatMap { $0 } + fields.documentSHA256.bytes + [UInt8](repeating: 1, count: 64))
        }
        let cases: [(String, [[UInt8]])] = [
            ("no holders", [number, [0], date]),
            ("empty name", [number, [1, 0], date]),
            ("empty number", [[0], oneHolder, date]),
            ("invalid UTF-8", [number, [1, 2, 0xC3, 0x28], date]),
            ("30 February", [number, oneHolder, [0x07, 0xEA, 2, 30]]),
            ("month 13", [number, oneHolder, [0x07, 0xEA, 13, 1]]),
        ]
        for (name, middle) in cases {
            #expect(CertificateQRPayload.verify(payload(middle), against: keys) == .malformed, "\(name)")
        }
        // The same layout with sound fields decodes, so the cases above fail for their own reason.
        #expect(CertificateQRPayload.decode(payload([number, oneHolder, date])) != nil)
    }

    @Test("Fields that do not fit the layout are refused when making a payload")
    func fieldProblems() {
        func problem(_ change: (inout CertificateQRPayload.Fields) -> Void) -> CertificateQRPayload.FieldProblem? {
            var changed = fields
            change(&changed)
            do {
                _ = try CertificateQRPayload.make(changed, signedBy: vectorKey)
                return nil
            } catch {
                return error as? CertificateQRPayload.FieldProblem
            }
        }
        #expect(problem { $0.certificateNumber = "" } == .badNumber)
        #expect(problem { $0.certificateNumber = String(repeating: "号", count: 86) } == .badNumber) // 258 bytes
        #expect(problem { $0.holders = [] } == .badHolderCount)
        #expect(problem { $0.holders = Array(repeating: "张", count: 256) } == .badHolderCount)
        #expect(problem { $0.holders = ["张三", ""] } == .badHolderName)
        #expect(problem { $0.holders = [String(repeating: "a", count: 256)] } == .badHolderName)
        #expect(problem { $0.holders = [String(repeating: "a", count: 255)] } == nil)
    }

    @Test("Base64url: canonical text only")
    func base64url() {
        var random = SplitMix64(seed: 3)
        for length in 0..<40 {
            let bytes = random.bytes(length)
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && text.count == (length * 4 + 2) / 3)
            #expect(Base64URL.decode(text) == bytes)
            #expect(Data(base64Encoded: text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                + String(repeating: "=", count: (4 - text.count % 4) % 4)).map(Array.init) == bytes)
        }
        #expect(Base64URL.decode("QQ") == [0x41])
        #expect(Base64URL.decode("QR") == nil)     // the same byte with stray bits
        #expect(Base64URL.decode("QUI") == [0x41, 0x42])
        #expect(Base64URL.decode("QUJ") == nil)
        #expect(Base64URL.decode("Q") == nil)
        #expect(Base64URL.decode("QQ==") == nil)
    }
}

private func isGenuine(_ verdict: CertificateQRPayload.Verdict) -> Bool {
    if case .genuine = verdict { return true }
    return false
}
