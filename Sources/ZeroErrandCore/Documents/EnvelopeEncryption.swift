import Crypto
import Foundation

public enum DocumentCryptoError: Error, Equatable, Sendable {
    /// Not a ZEDOC1 stream, or a chunk size this reader does not accept.
    case badHeader
    /// A chunk or a wrapped key failed authentication: changed, reordered, or the wrong key.
    case tampered
    /// The stream ended before its final chunk.
    case truncated
    /// Bytes follow the final chunk (or `encrypt` was called after the final chunk).
    case trailingData
    case unknownMasterKey(String)
    /// More chunks than a 3-byte index can number (1 TiB at 64 KiB chunks); encryption stops.
    case chunkLimitExceeded
}

/// A key-encryption key from configuration. The short `id` ("k1") is stored beside every key it
/// wraps, so after a rotation each document still names the master key that can open it.
public struct MasterKey: Sendable {
    public let id: String
    public let key: SymmetricKey

    public init(id: String, key: SymmetricKey) {
        self.id = id
        self.key = key
    }

    /// For configuration: a non-empty id and exactly 32 bytes in base64, or nil.
    public init?(id: String, base64: String) {
        guard !id.isEmpty,
              let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)),
              raw.count == 32
        else { return nil }
        self.init(id: id, key: SymmetricKey(data: raw))
    }
}

/// A document's data key sealed under a master key: AES-GCM combined form, nonce ‖ ciphertext ‖ tag
/// (12 + 32 + 16 = 60 bytes).
public struct WrappedKey: Codable, Sendable, Equatable {
    public let masterKeyID: String
    public let sealed: Data

    public init(masterKeyID: String, sealed: Data) {
        self.masterKeyID = masterKeyID
        self.sealed = sealed
    }
}

/// Envelope encryption: every file has its own random data key; only that small key is sealed
/// under the master key, so rotating the master key rewrites 60 bytes per file, not the files.
public enum Envelope {
    public static func newDataKey() -> SymmetricKey {
        SymmetricKey(size: .bits256)
    }

    public static func wrap(_ dataKey: SymmetricKey, with master: MasterKey) throws -> WrappedKey {
        let raw = dataKey.withUnsafeBytes { Data($0) }
        let box = try AES.GCM.seal(raw, using: master.key, authenticating: associatedData(master.id))
        // `combined` is nil only for non-standard nonce sizes, which seal never picks.
        guard let combined = box.combined else { throw DocumentCryptoError.tampered }
        return WrappedKey(masterKeyID: master.id, sealed: combined)
    }

    public static func unwrap(_ wrapped: WrappedKey, using keys: [String: SymmetricKey]) throws -> SymmetricKey {
        guard let master = keys[wrapped.masterKeyID] else {
            throw DocumentCryptoError.unknownMasterKey(wrapped.masterKeyID)
        }
        let raw: Data
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.sealed)
            raw = try AES.GCM.open(box, using: master, authenticating: associatedData(wrapped.masterKeyID))
        } catch {
            throw DocumentCryptoError.tampered
        }
        guard raw.count == 32 else { throw DocumentCryptoError.tampered }
        return SymmetricKey(data: raw)
    }

    /// Opens with whichever key `keys` holds under the stored id and seals again under `to`.
    /// A key already under `to` is re-sealed too (fresh nonce), so a rotation can simply run twice.
    public static func rewrap(_ wrapped: WrappedKey, from keys: [String: SymmetricKey], to master: MasterKey) throws -> WrappedKey {
        try wrap(unwrap(wrapped, using: keys), with: master)
    }

    /// Binds the sealed key to the id it is filed under and keeps it apart from any other use
    /// of the same master key.
    private static func associatedData(_ masterKeyID: String) -> Data {
        Data("ZeroErrand data key v1|\(masterKeyID)".utf8)
    }
}

/// The ZEDOC1 byte format, shared by the encryptor and the decryptor.
///
///     header = "ZEDOC1" (6) ‖ chunk size, UInt32 big-endian (4) ‖ nonce prefix, random (8)
///     chunk  = AES-GCM ciphertext (≤ chunk size) ‖ tag (16)
///     nonce  = nonce prefix (8) ‖ chunk index, 3 bytes big-endian ‖ final flag (0x00 / 0x01)
///     AAD    = the 18 header bytes, for every chunk
///
/// Every chunk but the last holds exactly `chunk size` plaintext bytes; the last holds 0 through
/// `chunk size` and is sealed with the final flag. An empty file is the header and one 16-byte chunk.
enum ZEDOC1 {
    static let magic: [UInt8] = Array("ZEDOC1".utf8)
    static let headerLength = 18
    static let noncePrefixLength = 8
    static let tagLength = 16
    static let maxChunkSize = 64 * 1024
    static let maxChunks: UInt32 = 1 << 24

    static func header(chunkSize: Int, noncePrefix: [UInt8]) -> [UInt8] {
        let size = UInt32(chunkSize)
        return magic + [UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF), UInt8(size & 0xFF)] + noncePrefix
    }

    /// The chunk size and nonce prefix of a complete header, or `badHeader`.
    static func parse(_ header: ArraySlice<UInt8>) throws -> (chunkSize: Int, noncePrefix: [UInt8]) {
        let bytes = Array(header)
        guard bytes.count == headerLength, bytes.starts(with: magic) else { throw DocumentCryptoError.badHeader }
        let size = bytes[6..<10].reduce(0) { ($0 << 8) | Int($1) }
        guard (1...maxChunkSize).contains(size) else { throw DocumentCryptoError.badHeader }
        return (size, Array(bytes[(headerLength - noncePrefixLength)..<headerLength]))
    }

    static func nonce(prefix: [UInt8], index: UInt32, final: Bool) throws -> AES.GCM.Nonce {
        let bytes = prefix + [UInt8((index >> 16) & 0xFF), UInt8((index >> 8) & 0xFF), UInt8(index & 0xFF), final ? 1 : 0]
        return try AES.GCM.Nonce(data: bytes)
    }
}

/// Encrypts a file as it streams, holding at most one chunk of plaintext.
/// Feed slices of any size; each call returns whatever whole sealed chunks are ready (the first
/// call also returns the header unless `header()` was taken). After a throw, discard the encryptor.
public struct ChunkedEncryptor: Sendable {
    public static let defaultChunkSize = ZEDOC1.maxChunkSize

    private let key: SymmetricKey
    private let chunkSize: Int
    private let noncePrefix: [UInt8]
    private let headerBytes: [UInt8]
    private var buffer: [UInt8] = []
    private var index: UInt32 = 0
    private var headerTaken = false
    private var finished = false

    /// `chunkSize` is for tests that want many chunks from little data; it must be 1 ... 64 KiB.
    public init(key: SymmetricKey, chunkSize: Int = ChunkedEncryptor.defaultChunkSize) {
        precondition((1...ZEDOC1.maxChunkSize).contains(chunkSize), "chunk size must be 1 ... 65536")
        var random = SystemRandomNumberGenerator()
        let prefix = withUnsafeBytes(of: random.next() as UInt64) { Array($0) }
        self.key = key
        self.chunkSize = chunkSize
        self.noncePrefix = prefix
        self.headerBytes = ZEDOC1.header(chunkSize: chunkSize, noncePrefix: prefix)
    }

    /// The 18 header bytes, to be written before the first chunk. Taking them means `encrypt`
    /// will not prepend them.
    public mutating func header() -> [UInt8] {
        headerTaken = true
        return headerBytes
    }

    public mutating func encrypt(_ plaintext: some Collection<UInt8>, final: Bool) throws -> [UInt8] {
        guard !finished else { throw DocumentCryptoError.trailingData }
        buffer.append(contentsOf: plaintext)
        var output: [UInt8] = []
        if !headerTaken {
            headerTaken = true
            output = headerBytes
        }
        var start = 0
        // Strictly greater: a chunk is sealed as non-final only once a byte past it is known to exist,
        // so the final chunk is never empty unless the whole file is.
        while buffer.count - start > chunkSize {
            output += try seal(buffer[start..<(start + chunkSize)], final: false)
            start += chunkSize
        }
        if final {
            output += try seal(buffer[start...], final: true)
            buffer = []
            finished = true
        } else {
            buffer.removeFirst(start)
        }
        return output
    }

    private mutating func seal(_ chunk: ArraySlice<UInt8>, final: Bool) throws -> [UInt8] {
        guard index < ZEDOC1.maxChunks else { throw DocumentCryptoError.chunkLimitExceeded }
        let nonce = try ZEDOC1.nonce(prefix: noncePrefix, index: index, final: final)
        let box = try AES.GCM.seal(chunk, using: key, nonce: nonce, authenticating: headerBytes)
        index += 1
        return Array(box.ciphertext) + Array(box.tag)
    }
}

/// Decrypts a ZEDOC1 stream as it arrives. Every chunk is authenticated before its plaintext is
/// returned, but only `finish()` proves the stream was complete: a consumer must not treat what
/// it has received as the whole file (nor commit it) until `finish()` has returned.
/// After any error the decryptor keeps throwing that error.
public struct ChunkedDecryptor: Sendable {
    private let key: SymmetricKey
    private var headerBytes: [UInt8] = []
    private var chunkSize = 0
    private var noncePrefix: [UInt8] = []
    private var pending: [UInt8] = []
    private var index: UInt32 = 0
    private var sawFinal = false
    private var failure: DocumentCryptoError?

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// Decrypts from chunk `first` on, for a range read: `header` is the file's first 18 bytes and
    /// the bytes fed begin at that chunk (`ZEDOC1Span.sealed`). Each chunk is still opened with its
    /// own index, so chunks moved from elsewhere in the file fail as they would in a whole read.
    public init(key: SymmetricKey, header: [UInt8], startingAtChunk first: UInt32) throws {
        self.key = key
        (chunkSize, noncePrefix) = try ZEDOC1.parse(header[...])
        headerBytes = header
        index = first
    }

    /// True once the final chunk has been opened.
    public var isComplete: Bool { sawFinal }

    public mutating func decrypt(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
        do {
            return try step(bytes)
        } catch let error as DocumentCryptoError {
            failure = error
            throw error
        }
    }

    /// Opens a short final chunk still held back (a chunk shorter than the chunk size can only be
    /// told apart from one still arriving once the input has ended) and returns its plaintext.
    /// Throws `truncated` if the stream stopped before its final chunk.
    public mutating func finish() throws -> [UInt8] {
        do {
            return try end()
        } catch let error as DocumentCryptoError {
            failure = error
            throw error
        }
    }

    private var headerParsed: Bool { chunkSize > 0 }

    private mutating func step(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
        if let failure { throw failure }
        if sawFinal {
            guard bytes.isEmpty else { throw DocumentCryptoError.trailingData }
            return []
        }
        pending.append(contentsOf: bytes)
        if !headerParsed {
            let seen = min(pending.count, ZEDOC1.magic.count)
            guard pending[0..<seen].elementsEqual(ZEDOC1.magic[0..<seen]) else { throw DocumentCryptoError.badHeader }
            guard pending.count >= ZEDOC1.headerLength else { return [] }
            let header = pending[0..<ZEDOC1.headerLength]
            (chunkSize, noncePrefix) = try ZEDOC1.parse(header)
            headerBytes = Array(header)
            pending.removeFirst(ZEDOC1.headerLength)
        }
        let sealedSize = chunkSize + ZEDOC1.tagLength
        var output: [UInt8] = []
        var start = 0
        // A full-size chunk is either non-final or a full final chunk; the flag in the nonce means
        // only one of the two can open, so no look-ahead is needed.
        while !sawFinal, pending.count - start >= sealedSize {
            let chunk = pending[start..<(start + sealedSize)]
            if let plain = try? open(chunk, final: false) {
                output += plain
            } else {
                output += try open(chunk, final: true)
                sawFinal = true
            }
            index += 1
            start += sealedSize
        }
        if sawFinal, start < pending.count { throw DocumentCryptoError.trailingData }
        pending.removeFirst(start)
        return output
    }

    private mutating func end() throws -> [UInt8] {
        if let failure { throw failure }
        if sawFinal { return [] }
        // Shorter than a header, or stopped at a chunk boundary: nothing here can be the final chunk.
        guard headerParsed, pending.count >= ZEDOC1.tagLength else { throw DocumentCryptoError.truncated }
        let plain = try open(pending[...], final: true)
        pending = []
        sawFinal = true
        return plain
    }

    private func open(_ chunk: ArraySlice<UInt8>, final: Bool) throws -> [UInt8] {
        guard index < ZEDOC1.maxChunks else { throw DocumentCryptoError.tampered }
        do {
            let nonce = try ZEDOC1.nonce(prefix: noncePrefix, index: index, final: final)
            let split = chunk.endIndex - ZEDOC1.tagLength
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: chunk[chunk.startIndex..<split], tag: chunk[split...])
            return Array(try AES.GCM.open(box, using: key, authenticating: headerBytes))
        } catch {
            throw DocumentCryptoError.tampered
        }
    }
}

/// Where a byte range of a ZEDOC1 file's plaintext lies in the stored file, so that it can be read
/// without decrypting what comes before it (a video player seeking in a recording).
public struct ZEDOC1Span: Sendable, Equatable {
    /// Bytes before the first chunk: what `init` needs as `header`.
    public static let headerLength = ZEDOC1.headerLength

    /// The index of the chunk holding the range's first byte.
    public let firstChunk: UInt32
    /// Offsets in the stored file of the sealed chunks holding the range; the last chunk may be
    /// shorter, so this can run past the file's end.
    public let sealed: Range<Int64>
    /// Plaintext bytes to drop from the start of the first chunk.
    public let skip: Int

    /// `range` must not be empty; `header` is the file's first 18 bytes.
    public init(plaintext range: Range<Int64>, header: [UInt8]) throws {
        precondition(!range.isEmpty, "an empty range reads nothing")
        let chunkSize = Int64(try ZEDOC1.parse(header[...]).chunkSize)
        let sealedSize = chunkSize + Int64(ZEDOC1.tagLength)
        let first = range.lowerBound / chunkSize, last = (range.upperBound - 1) / chunkSize
        guard last < Int64(ZEDOC1.maxChunks) else { throw DocumentCryptoError.chunkLimitExceeded }
        firstChunk = UInt32(first)
        sealed = (Int64(ZEDOC1.headerLength) + first * sealedSize)..<(Int64(ZEDOC1.headerLength) + (last + 1) * sealedSize)
        skip = Int(range.lowerBound - first * chunkSize)
    }
}

/// SHA-256 of a file computed as its bytes stream past, recorded beside the stored document.
public struct SHA256Stream: Sendable {
    private var hasher = SHA256()
    public private(set) var byteCount = 0

    public init() {}

    public mutating func update(_ bytes: some Collection<UInt8>) {
        byteCount += bytes.count
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if done == nil { hasher.update(data: Array(bytes)) }
    }

    public func digest() -> SHA256.Digest {
        hasher.finalize()
    }

    /// Lower-case hex, 64 characters. Does not end the stream: more bytes may follow.
    public func hexDigest() -> String {
        Self.hex(digest())
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
