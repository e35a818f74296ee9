import Crypto
import Foundation
import Testing
@testable import ZeroErrandCore

/// Feeds `bytes` in random slices of 0 ... `maxSlice` bytes (empty slices included on purpose).
private func randomSlices(of bytes: [UInt8], maxSlice: Int, rng: inout SplitMix64) -> [ArraySlice<UInt8>] {
    var parts: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let size = Int.random(in: 0...maxSlice, using: &rng)
        let end = min(bytes.count, start + size)
        parts.append(bytes[start..<end])
        start = end
    }
    return parts
}

private func sealDocument(_ plaintext: [UInt8], key: SymmetricKey, chunkSize: Int = ChunkedEncryptor.defaultChunkSize,
                     maxSlice: Int = 100_000, seed: UInt64 = 1) throws -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    var encryptor = ChunkedEncryptor(key: key, chunkSize: chunkSize)
    var out: [UInt8] = []
    for part in randomSlices(of: plaintext, maxSlice: maxSlice, rng: &rng) {
        out += try encryptor.encrypt(part, final: false)
    }
    out += try encryptor.encrypt([], final: true)
    return out
}

private func openDocument(_ stored: [UInt8], key: SymmetricKey, maxSlice: Int = 100_000, seed: UInt64 = 2) throws -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    var decryptor = ChunkedDecryptor(key: key)
    var out: [UInt8] = []
    for part in randomSlices(of: stored, maxSlice: maxSlice, rng: &rng) {
        out += try decryptor.decrypt(part)
    }
    out += try decryptor.finish()
    return out
}

/// The error a whole decryption ends with, or nil if it succeeded.
private func decryptionError(_ stored: [UInt8], key: SymmetricKey) -> DocumentCryptoError? {
    do {
        _ = try openDocument(stored, key: key, maxSlice: 97)
        return nil
    } catch let error as DocumentCryptoError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

private func keyBytes(of key: SymmetricKey) -> [UInt8] {
    key.withUnsafeBytes { Array($0) }
}

// A small chunk size gives many chunks from little data, so every boundary can be tried.
private enum ZEDOCLayout {
    static let smallChunk = 32
    static let headerLength = 18
    static let tagLength = 16
}

/// Where each sealed chunk starts in a stream of `plaintextCount` bytes sealed in `chunkSize` chunks.
private func chunkRanges(plaintextCount: Int, chunkSize: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var remaining = plaintextCount
    var start = ZEDOCLayout.headerLength
    repeat {
        let size = remaining > chunkSize ? chunkSize : remaining
        ranges.append(start..<(start + size + ZEDOCLayout.tagLength))
        start += size + ZEDOCLayout.tagLength
        remaining -= size
    } while remaining > 0
    return ranges
}

@Suite("File kind is decided by magic bytes")
struct FileKindSniffTests {
    static let pdf = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00]
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
        + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89]

    @Test("Minimal real PDF, JPEG and PNG headers")
    func realHeaders() {
        #expect(FileKind.sniff(Self.pdf) == .pdf)
        #expect(FileKind.sniff(Self.jpeg) == .jpeg)
        #expect(FileKind.sniff(Self.png) == .png)
        #expect(FileKind.sniff(Data(Self.png)) == .png)
        #expect(FileKind.sniff(Self.jpeg[...]) == .jpeg)
    }

    @Test("A PNG uploaded as scan.pdf is a PNG, even with %PDF- inside it")
    func nameAndContentDoNotMatter() {
        let uploadedAsPDF = Self.png + Array("tEXt%PDF-1.4 pretending".utf8)
        #expect(FileKind.sniff(uploadedAsPDF) == .png)
    }

    @Test("HTML, a Windows executable, GIF, ZIP, text and empty input are refused")
    func othersAreNil() {
        let html = Array("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)
        let exe: [UInt8] = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF]
            + [UInt8](repeating: 0, count: 48) + Array("This program cannot be run in DOS mode.".utf8)
        let gif = Array("GIF89a".utf8) + [1, 0, 1, 0]
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]
        #expect(FileKind.sniff(html) == nil)
        #expect(FileKind.sniff(exe) == nil)
        #expect(FileKind.sniff(gif) == nil)
        #expect(FileKind.sniff(zip) == nil)
        #expect(FileKind.sniff(Array("%PDF".utf8)) == nil)
        #expect(FileKind.sniff([0xFF, 0xD8]) == nil)
        #expect(FileKind.sniff(Array(Self.png.prefix(7))) == nil)
        #expect(FileKind.sniff([UInt8]()) == nil)
    }

    @Test("A PDF starts with %PDF- at byte 0: nothing before it, so no HTML or ZIP polyglot passes as a PDF")
    func pdfMarkerAtStart() {
        let marker = Array("%PDF-1.4\n".utf8)
        #expect(FileKind.sniff(marker) == .pdf)
        #expect(FileKind.sniff([0x20] + marker) == nil)
        #expect(FileKind.sniff(Array("<html><script>alert(1)</script>".utf8) + marker) == nil)
        #expect(FileKind.sniff([0x50, 0x4B, 0x03, 0x04] + marker) == nil)
        #expect(FileKind.sniff([UInt8](repeating: 0, count: 500) + marker) == nil)
    }

    @Test("JPEG and PNG signatures count only at the very start")
    func signaturesAtOffsetZero() {
        #expect(FileKind.sniff([0x00] + Self.jpeg) == nil)
        #expect(FileKind.sniff(Array("hello".utf8) + Self.png) == nil)
    }

    @Test("Stored names, MIME types and extensions")
    func presentation() {
        #expect(FileKind.allCases.map(\.rawValue) == ["pdf", "jpeg", "png"])
        #expect(FileKind.allCases.map(\.mimeType) == ["application/pdf", "image/jpeg", "image/png"])
        #expect(FileKind.allCases.map(\.fileExtension) == ["pdf", "jpg", "png"])
        #expect(FileKind.sniffLength == 16)
    }
}

@Suite("Chunked AES-GCM file encryption")
struct ChunkedEncryptionTests {
    let key = SymmetricKey(size: .bits256)

    @Test("Round trip in random slice sizes", arguments: [0, 1, 65_536, 65_537, 1 << 20])
    func roundTrip(size: Int) throws {
        var rng = SplitMix64(seed: UInt64(size) &+ 7)
        let plaintext = rng.bytes(size)
        let stored = try sealDocument(plaintext, key: key, maxSlice: 20_000, seed: UInt64(size))
        let chunks = max(1, (size + 65_535) / 65_536)
        #expect(stored.count == ZEDOCLayout.headerLength + size + ZEDOCLayout.tagLength * chunks)
        #expect(try openDocument(stored, key: key, maxSlice: 30_000, seed: UInt64(size) + 1) == plaintext)
        if size <= 70_000 {
            #expect(try openDocument(stored, key: key, maxSlice: 3, seed: 5) == plaintext)
        }
    }

    @Test("Byte-at-a-time and all-at-once feeding give the same plaintext")
    func extremeSlices() throws {
        var rng = SplitMix64(seed: 42)
        let plaintext = rng.bytes(3 * 65_536 + 17)
        let stored = try sealDocument(plaintext, key: key, maxSlice: 1)
        #expect(try openDocument(stored, key: key, maxSlice: 1) == plaintext)

        var encryptor = ChunkedEncryptor(key: key)
        let header = encryptor.header()
        let body = try encryptor.encrypt(plaintext, final: true)
        #expect(header.count == ZEDOCLayout.headerLength && header.starts(with: Array("ZEDOC1".utf8)))
        #expect(try openDocument(header + body, key: key) == plaintext)
    }

    @Test("Random lengths round-trip with small chunks")
    func smallChunksProperty() throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<200 {
            let plaintext = rng.bytes(Int.random(in: 0...300, using: &rng))
            let chunkSize = Int.random(in: 1...64, using: &rng)
            let seed = rng.next()
            let stored = try sealDocument(plaintext, key: key, chunkSize: chunkSize, maxSlice: 50, seed: seed)
            #expect(try openDocument(stored, key: key, maxSlice: 50, seed: seed &+ 1) == plaintext)
        }
    }

    @Test("The header records the chunk size; every chunk but the last is full")
    func layout() throws {
        let plaintext = [UInt8](repeating: 7, count: 100)
        let stored = try sealDocument(plaintext, key: key, chunkSize: ZEDOCLayout.smallChunk)
        #expect(Array(stored[0..<6]) == Array("ZEDOC1".utf8))
        #expect(Array(stored[6..<10]) == [0, 0, 0, 32])
        #expect(chunkRanges(plaintextCount: 100, chunkSize: ZEDOCLayout.smallChunk).last?.upperBound == stored.count)
        #expect(stored.count == ZEDOCLayout.headerLength + 100 + 4 * ZEDOCLayout.tagLength)
    }

    @Test("The same file encrypted twice under one key gives different bytes")
    func freshNoncePrefix() throws {
        let plaintext = Array("same contents".utf8)
        let first = try sealDocument(plaintext, key: key)
        let second = try sealDocument(plaintext, key: key)
        #expect(first != second)
        #expect(first[10..<18] != second[10..<18])
    }

    @Test("A full-size final chunk is known to be final as soon as it arrives; a short one at finish")
    func completion() throws {
        let full = try sealDocument([UInt8](repeating: 1, count: 64), key: key, chunkSize: ZEDOCLayout.smallChunk)
        var decryptor = ChunkedDecryptor(key: key)
        #expect(try decryptor.decrypt(full).count == 64)
        #expect(decryptor.isComplete)
        #expect(try decryptor.finish().isEmpty)

        let short = try sealDocument([UInt8](repeating: 1, count: 40), key: key, chunkSize: ZEDOCLayout.smallChunk)
        var other = ChunkedDecryptor(key: key)
        #expect(try other.decrypt(short).count == 32)
        #expect(!other.isComplete)
        #expect(try other.finish().count == 8)
        #expect(other.isComplete)
    }

    @Test("The wrong data key cannot open a file")
    func wrongKey() throws {
        let stored = try sealDocument(Array("secret".utf8), key: key)
        #expect(decryptionError(stored, key: SymmetricKey(size: .bits256)) == .tampered)
    }

    @Test("Flipping any single bit is detected")
    func everyBitFlip() throws {
        var rng = SplitMix64(seed: 3)
        let plaintext = rng.bytes(100)
        let stored = try sealDocument(plaintext, key: key, chunkSize: ZEDOCLayout.smallChunk)
        for position in 0..<stored.count {
            for bit in 0..<8 {
                var damaged = stored
                damaged[position] ^= UInt8(1) << UInt8(bit)
                let error = decryptionError(damaged, key: key)
                switch position {
                case 0..<6:
                    #expect(error == .badHeader, "magic byte \(position) bit \(bit)")
                case 6..<10:
                    // An out-of-range chunk size is refused outright; an in-range one misparses.
                    #expect(error == .badHeader || error == .tampered, "size byte \(position) bit \(bit)")
                default:
                    #expect(error == .tampered, "byte \(position) bit \(bit)")
                }
            }
        }
    }

    @Test("Bit flips in a 1 MiB file with full-size chunks are detected")
    func bitFlipsLargeFile() throws {
        var rng = SplitMix64(seed: 4)
        let plaintext = rng.bytes(1 << 20)
        let stored = try sealDocument(plaintext, key: key)
        var positions = [10, 17, 18, stored.count - 1, stored.count - 16, stored.count - 17]
        positions += (0..<20).map { _ in Int.random(in: 18..<stored.count, using: &rng) }
        for position in positions {
            var damaged = stored
            damaged[position] ^= 0x01
            #expect(decryptionError(damaged, key: key) == .tampered, "byte \(position)")
        }
    }

    @Test("Cut at a chunk boundary: finish reports truncated; cut anywhere: an error")
    func truncation() throws {
        for count in [64, 100] { // full-size and short final chunk
            let stored = try sealDocument([UInt8](repeating: 9, count: count), key: key, chunkSize: ZEDOCLayout.smallChunk)
            let boundaries = Set([0] + chunkRanges(plaintextCount: count, chunkSize: ZEDOCLayout.smallChunk).dropLast().map(\.upperBound) + [ZEDOCLayout.headerLength])
            for cut in 0..<stored.count {
                let error = decryptionError(Array(stored[0..<cut]), key: key)
                if boundaries.contains(cut) || cut < ZEDOCLayout.headerLength {
                    #expect(error == .truncated, "\(count) bytes cut at \(cut)")
                } else {
                    #expect(error == .truncated || error == .tampered, "\(count) bytes cut at \(cut)")
                }
            }
        }
    }

    @Test("Without finish nothing proves the end: decrypt alone does not complete a truncated file")
    func finishIsRequired() throws {
        let stored = try sealDocument([UInt8](repeating: 5, count: 200), key: key, chunkSize: ZEDOCLayout.smallChunk)
        let cut = chunkRanges(plaintextCount: 200, chunkSize: ZEDOCLayout.smallChunk)[2].upperBound
        var decryptor = ChunkedDecryptor(key: key)
        #expect(try decryptor.decrypt(stored[0..<cut]).count == 3 * ZEDOCLayout.smallChunk)
        #expect(!decryptor.isComplete)
        #expect(throws: DocumentCryptoError.truncated) { try decryptor.finish() }
        #expect(throws: DocumentCryptoError.truncated) { try decryptor.decrypt([1, 2, 3]) }
    }

    @Test("Dropping, swapping or repeating a middle chunk is detected")
    func reordering() throws {
        let plaintext = (0..<200).map { UInt8($0) }
        let stored = try sealDocument(plaintext, key: key, chunkSize: ZEDOCLayout.smallChunk)
        let ranges = chunkRanges(plaintextCount: 200, chunkSize: ZEDOCLayout.smallChunk)
        let header = Array(stored[0..<ZEDOCLayout.headerLength])
        let chunks = ranges.map { Array(stored[$0]) }
        #expect(chunks.count == 7)

        var dropped = chunks; dropped.remove(at: 3)
        var swapped = chunks; swapped.swapAt(2, 3)
        var repeated = chunks; repeated.insert(chunks[2], at: 3)
        var finalEarly = Array(chunks.prefix(3)); finalEarly.append(chunks[6])
        for variant in [dropped, swapped, repeated, finalEarly] {
            #expect(decryptionError(header + variant.joined(), key: key) == .tampered)
        }
        #expect(try openDocument(header + chunks.joined(), key: key) == plaintext)
    }

    @Test("A chunk spliced in from another file under the same key is detected")
    func splicing() throws {
        let first = try sealDocument([UInt8](repeating: 1, count: 100), key: key, chunkSize: ZEDOCLayout.smallChunk)
        let second = try sealDocument([UInt8](repeating: 1, count: 100), key: key, chunkSize: ZEDOCLayout.smallChunk)
        let range = chunkRanges(plaintextCount: 100, chunkSize: ZEDOCLayout.smallChunk)[1]
        var spliced = first
        spliced.replaceSubrange(range, with: second[range])
        #expect(decryptionError(spliced, key: key) == .tampered)
        var otherHeader = first
        otherHeader.replaceSubrange(0..<ZEDOCLayout.headerLength, with: second[0..<ZEDOCLayout.headerLength])
        #expect(decryptionError(otherHeader, key: key) == .tampered)
    }

    @Test("Bytes after the final chunk are refused")
    func trailing() throws {
        // A full-size final chunk is recognised, so what follows it is named trailing data.
        let full = try sealDocument([UInt8](repeating: 2, count: 64), key: key, chunkSize: ZEDOCLayout.smallChunk)
        #expect(decryptionError(full + [0], key: key) == .trailingData)
        #expect(decryptionError(full + full, key: key) == .trailingData)
        var decryptor = ChunkedDecryptor(key: key)
        _ = try decryptor.decrypt(full)
        #expect(throws: DocumentCryptoError.trailingData) { try decryptor.decrypt([0]) }

        // After a short final chunk the boundary cannot be seen, so the bytes spoil its tag instead.
        let short = try sealDocument([UInt8](repeating: 2, count: 40), key: key, chunkSize: ZEDOCLayout.smallChunk)
        #expect(decryptionError(short + [0], key: key) == .tampered)
        #expect(decryptionError(short + [UInt8](repeating: 0, count: 100), key: key) == .tampered)

        // Once finish has opened the final chunk, nothing more is accepted.
        var finished = ChunkedDecryptor(key: key)
        _ = try finished.decrypt(short)
        _ = try finished.finish()
        #expect(try finished.decrypt([UInt8]()).isEmpty)
        #expect(throws: DocumentCryptoError.trailingData) { try finished.decrypt([0]) }
        // and the decryptor stays failed
        #expect(throws: DocumentCryptoError.trailingData) { try finished.decrypt([UInt8]()) }
        #expect(throws: DocumentCryptoError.trailingData) { try finished.finish() }

        var encryptor = ChunkedEncryptor(key: key)
        _ = try encryptor.encrypt([1], final: true)
        #expect(throws: DocumentCryptoError.trailingData) { try encryptor.encrypt([2], final: false) }
    }

    @Test("Something that is not a ZEDOC1 stream is a bad header")
    func badHeader() throws {
        #expect(decryptionError(FileKindSniffTests.pdf, key: key) == .badHeader)
        var decryptor = ChunkedDecryptor(key: key)
        #expect(throws: DocumentCryptoError.badHeader) { try decryptor.decrypt(Array("ZX".utf8)) }
        let zeroChunk = Array("ZEDOC1".utf8) + [0, 0, 0, 0] + [UInt8](repeating: 0, count: 8 + 16)
        #expect(decryptionError(zeroChunk, key: key) == .badHeader)
        let hugeChunk = Array("ZEDOC1".utf8) + [0, 0x01, 0, 1] + [UInt8](repeating: 0, count: 8 + 16)
        #expect(decryptionError(hugeChunk, key: key) == .badHeader)
    }

    @Test("SHA-256 of a stream equals the one-shot hash, however it is sliced")
    func hashing() {
        var rng = SplitMix64(seed: 8)
        let data = rng.bytes(200_000)
        var stream = SHA256Stream()
        for part in randomSlices(of: data, maxSlice: 5_000, rng: &rng) { stream.update(part) }
        #expect(stream.hexDigest() == SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
        #expect(stream.byteCount == data.count)
        #expect(SHA256Stream().hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256Stream()
        abc.update(Data("ab".utf8))
        abc.update("c".utf8)
        #expect(abc.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite("Data keys wrapped by master keys")
struct EnvelopeTests {
    let k1 = MasterKey(id: "k1", key: SymmetricKey(size: .bits256))
    let k2 = MasterKey(id: "k2", key: SymmetricKey(size: .bits256))

    @Test("Wrap and unwrap give back the data key; each wrap is sealed afresh")
    func wrapUnwrap() throws {
        let dataKey = Envelope.newDataKey()
        let wrapped = try Envelope.wrap(dataKey, with: k1)
        #expect(wrapped.masterKeyID == "k1")
        #expect(wrapped.sealed.count == 60)
        #expect(wrapped.sealed.range(of: Data(keyBytes(of: dataKey))) == nil)
        #expect(keyBytes(of: try Envelope.unwrap(wrapped, using: ["k1": k1.key])) == keyBytes(of: dataKey))
        #expect(try Envelope.wrap(dataKey, with: k1) != wrapped)
        #expect(keyBytes(of: Envelope.newDataKey()) != keyBytes(of: dataKey))
        #expect(Envelope.newDataKey().bitCount == 256)
    }

    @Test("Rotation re-wraps under the new key; the old key is then not needed")
    func rotation() throws {
        let dataKey = Envelope.newDataKey()
        let old = try Envelope.wrap(dataKey, with: k1)
        let rotated = try Envelope.rewrap(old, from: ["k1": k1.key, "k2": k2.key], to: k2)
        #expect(rotated.masterKeyID == "k2")
        #expect(keyBytes(of: try Envelope.unwrap(rotated, using: ["k2": k2.key])) == keyBytes(of: dataKey))
        #expect(throws: DocumentCryptoError.unknownMasterKey("k2")) { try Envelope.unwrap(rotated, using: ["k1": k1.key]) }
        // Running the rotation again over already-rotated keys is harmless.
        let again = try Envelope.rewrap(rotated, from: ["k2": k2.key], to: k2)
        #expect(keyBytes(of: try Envelope.unwrap(again, using: ["k2": k2.key])) == keyBytes(of: dataKey))
    }

    @Test("A stored file survives a master-key rotation")
    func fileSurvivesRotation() throws {
        let plaintext = Array("passport scan".utf8)
        let dataKey = Envelope.newDataKey()
        let stored = try sealDocument(plaintext, key: dataKey)
        let wrapped = try Envelope.rewrap(try Envelope.wrap(dataKey, with: k1), from: ["k1": k1.key], to: k2)
        #expect(try openDocument(stored, key: Envelope.unwrap(wrapped, using: ["k2": k2.key])) == plaintext)
    }

    @Test("Unknown id, wrong key, relabelled id and damaged bytes are refused")
    func refusals() throws {
        let wrapped = try Envelope.wrap(Envelope.newDataKey(), with: k1)
        #expect(throws: DocumentCryptoError.unknownMasterKey("k1")) { try Envelope.unwrap(wrapped, using: [:]) }
        #expect(throws: DocumentCryptoError.unknownMasterKey("k1")) { try Envelope.rewrap(wrapped, from: ["k2": k2.key], to: k2) }
        #expect(throws: DocumentCryptoError.tampered) { try Envelope.unwrap(wrapped, using: ["k1": k2.key]) }
        let relabelled = WrappedKey(masterKeyID: "k2", sealed: wrapped.sealed)
        #expect(throws: DocumentCryptoError.tampered) { try Envelope.unwrap(relabelled, using: ["k1": k1.key, "k2": k1.key]) }
        for index in [0, 20, 59] {
            var damaged = wrapped.sealed
            damaged[index] ^= 0x80
            #expect(throws: DocumentCryptoError.tampered) {
                try Envelope.unwrap(WrappedKey(masterKeyID: "k1", sealed: damaged), using: ["k1": k1.key])
            }
        }
        #expect(throws: DocumentCryptoError.tampered) {
            try Envelope.unwrap(WrappedKey(masterKeyID: "k1", sealed: Data([1, 2, 3])), using: ["k1": k1.key])
        }
    }

    @Test("A wrapped key survives JSON storage")
    func codable() throws {
        let wrapped = try Envelope.wrap(Envelope.newDataKey(), with: k1)
        let decoded = try JSONDecoder().decode(WrappedKey.self, from: JSONEncoder().encode(wrapped))
        #expect(decoded == wrapped)
    }

    @Test("A master key from configuration must be 32 bytes of base64 with an id")
    func fromConfiguration() {
        let raw = Data((0..<32).map { UInt8($0) })
        let key = MasterKey(id: "k1", base64: raw.base64EncodedString())
        #expect(key?.id == "k1")
        #expect(key.map { keyBytes(of: $0.key) } == Array(raw))
        #expect(MasterKey(id: "k1", base64: Data(count: 16).base64EncodedString()) == nil)
        #expect(MasterKey(id: "k1", base64: "not base64!") == nil)
        #expect(MasterKey(id: "", base64: raw.base64EncodedString()) == nil)
    }
}

@Suite("Upload size budget")
struct ByteBudgetTests {
    @Test("Exactly the limit is accepted; one byte more is refused")
    func boundary() throws {
        var budget = ByteBudget(limit: 10)
        try budget.consume(4)
        try budget.consume(6)
        #expect(budget.consumed == 10)
        #expect(throws: UploadTooLarge(limit: 10)) { try budget.consume(1) }
        #expect(budget.consumed == 10)
        try budget.consume(0)
    }

    @Test("A streamed 20 MiB limit stops at the first chunk that passes it")
    func streaming() {
        let limit = 20 * 1024 * 1024
        var budget = ByteBudget(limit: limit)
        var accepted = 0
        do {
            while true {
                try budget.consume(65_536)
                accepted += 1
            }
        } catch {
            #expect(error as? UploadTooLarge == UploadTooLarge(limit: limit))
        }
        #expect(accepted == 320)
    }

    @Test("A zero limit refuses any byte; huge counts do not overflow into acceptance")
    func extremes() throws {
        var zero = ByteBudget(limit: 0)
        try zero.consume(0)
        #expect(throws: UploadTooLarge(limit: 0)) { try zero.consume(1) }
        var big = ByteBudget(limit: .max)
        try big.consume(.max)
        #expect(throws: UploadTooLarge(limit: .max)) { try big.consume(1) }
        var small = ByteBudget(limit: 5)
        try small.consume(3)
        #expect(throws: UploadTooLarge(limit: 5)) { try small.consume(.max) }
    }
}

@Suite("Reading a byte range of an encrypted file")
struct ByteRangeDecryptionTests {
    let key = SymmetricKey(size: .bits256)

    /// What a reader of `range` does: read the span's sealed bytes (cut at the file's end), open
    /// them from the span's first chunk, finish when the span reached the end, drop and cut.
    private func read(_ range: Range<Int64>, of stored: [UInt8], feed: Int = 1000) throws -> [UInt8] {
        let header = Array(stored[0..<ZEDOC1Span.headerLength])
        let span = try ZEDOC1Span(plaintext: range, header: header)
        let sealed = stored[Int(span.sealed.lowerBound)..<min(stored.count, Int(span.sealed.upperBound))]
        var decryptor = try ChunkedDecryptor(key: key, header: header, startingAtChunk: span.firstChunk)
        var plain: [UInt8] = []
        var start = sealed.startIndex
        while start < sealed.endIndex {
            let end = min(sealed.endIndex, start + feed)
            plain += try decryptor.decrypt(sealed[start..<end])
            start = end
        }
        if span.sealed.upperBound >= Int64(stored.count) { plain += try decryptor.finish() }
        return Array(plain.dropFirst(span.skip).prefix(range.count))
    }

    @Test("Every range of a file with small chunks reads exactly its bytes, including the short last chunk")
    func everyRange() throws {
        for size in [1, 7, 8, 23, 24] {
            var rng = SplitMix64(seed: UInt64(size))
            let plaintext = rng.bytes(size)
            let stored = try sealDocument(plaintext, key: key, chunkSize: 8, maxSlice: 5)
            for first in 0..<size {
                for end in (first + 1)...size {
                    #expect(try read(Int64(first)..<Int64(end), of: stored, feed: 5) == Array(plaintext[first..<end]), "\(size) \(first)..<\(end)")
                }
            }
        }
    }

    @Test("A range in the middle of a large file decrypts only the chunks that hold it")
    func middleOfALargeFile() throws {
        var rng = SplitMix64(seed: 99)
        let plaintext = rng.bytes(5 * 65_536 + 100)
        let stored = try sealDocument(plaintext, key: key)
        let span = try ZEDOC1Span(plaintext: 70_000..<140_000, header: Array(stored[0..<18]))
        #expect(span.firstChunk == 1 && span.skip == 70_000 - 65_536)
        #expect(span.sealed == Int64(18 + 65_552)..<Int64(18 + 3 * 65_552))
        #expect(try read(70_000..<140_000, of: stored, feed: 40_000) == Array(plaintext[70_000..<140_000]))
        #expect(try read(Int64(plaintext.count - 10)..<Int64(plaintext.count), of: stored) == Array(plaintext.suffix(10)))
    }

    @Test("A chunk moved to another place, or from another file, fails: each is opened with its own index")
    func movedChunksFail() throws {
        var rng = SplitMix64(seed: 5)
        let plaintext = rng.bytes(40)
        let stored = try sealDocument(plaintext, key: key, chunkSize: 8)
        let sealed = 8 + 16
        // Chunk 1's bytes put in chunk 3's place: reading chunk 3 alone must not give chunk 1's text.
        var swapped = stored
        swapped.replaceSubrange((18 + 3 * sealed)..<(18 + 4 * sealed), with: stored[(18 + sealed)..<(18 + 2 * sealed)])
        #expect(throws: DocumentCryptoError.tampered) { try read(24..<32, of: swapped) }
        #expect(try read(8..<16, of: swapped) == Array(plaintext[8..<16]))
        // The same chunk of a second file under another nonce prefix does not open either.
        let other = try sealDocument(plaintext, key: key, chunkSize: 8)
        var mixed = stored
        mixed.replaceSubrange((18 + sealed)..<(18 + 2 * sealed), with: other[(18 + sealed)..<(18 + 2 * sealed)])
        #expect(throws: DocumentCryptoError.tampered) { try read(8..<16, of: mixed) }
    }
}
