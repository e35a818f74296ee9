import Crypto
import Foundation
import NIOCore
import NIOFileSystem
import NIOPosix
import Vapor
import ZeroErrandCore

/// The master keys that wrap each document's data key. The first is current; older ones stay
/// until `zeroerrand documents-rewrap` has moved every data key to the current one.
struct DocumentKeys: Sendable {
    let current: MasterKey
    let all: [String: SymmetricKey]

    /// `k2:BASE64,k1:BASE64`, newest first.
    static func parse(_ text: String) throws -> DocumentKeys {
        var keys: [MasterKey] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let data = Data(base64Encoded: parts[1]), data.count == 32 else {
                throw AppConfig.Invalid(setting: "ZE_DOCUMENT_KEYS", problem: "must be id:base64-of-32-bytes items, newest first, e.g. k1:\(Data(count: 4).base64EncodedString())…")
            }
            keys.append(MasterKey(id: parts[0], key: SymmetricKey(data: data)))
        }
        guard let current = keys.first else { throw AppConfig.Invalid(setting: "ZE_DOCUMENT_KEYS", problem: "is empty") }
        return DocumentKeys(current: current, all: Dictionary(keys.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// Where uploaded files live: encrypted, under server-chosen names, written all or nothing.
struct DocumentStore: Sendable {
    struct Stored: Sendable {
        let storageName: String
        let kind: FileKind
        let size: Int64
        let sha256: String
        let wrappedKey: WrappedKey
    }

    enum StoreError: Error { case unsupportedType, empty }

    let directory: String
    let keys: DocumentKeys
    let maxBytes: Int

    private var incoming: String { directory + "/incoming" }

    /// Bytes stored encrypted under a server-chosen name, whatever they are.
    struct Blob: Sendable {
        let storageName: String
        let size: Int64
        let sha256: String
        let wrappedKey: WrappedKey
    }

    /// Streams the body into an encrypted file. The type comes from the first bytes; the size limit
    /// is checked as bytes arrive, so an oversized body is cut off before it is all read. Nothing is
    /// visible under the final name until the whole file is on disk; on any failure the partial
    /// file is removed (and a crash leaves only a `.part` file that start-up clears away).
    /// `limit` can only lower the per-file maximum (what is left of a case's quota, say).
    func store<Body: AsyncSequence>(_ body: Body, limit: Int? = nil) async throws -> Stored where Body.Element == ByteBuffer {
        let (blob, kind) = try await write(body, limit: min(maxBytes, limit ?? maxBytes), identify: true)
        guard let kind else { throw StoreError.unsupportedType }
        return Stored(storageName: blob.storageName, kind: kind, size: blob.size, sha256: blob.sha256, wrappedKey: blob.wrappedKey)
    }

    /// The same for bytes of any type (parts of a recording), up to `limit`.
    func storeBytes<Body: AsyncSequence>(_ body: Body, limit: Int) async throws -> Blob where Body.Element == ByteBuffer {
        try await write(body, limit: limit, identify: false).blob
    }

    /// Bytes already in memory (a drawn signature, a printed certificate), stored the same way.
    func storeBytes(_ bytes: [UInt8]) async throws -> Blob {
        try await storeBytes(Self.stream(bytes), limit: bytes.count)
    }

    /// A file already in memory and already checked (an ID photo at a service point's desk), typed
    /// from its bytes as an upload is.
    func store(bytes: [UInt8]) async throws -> Stored {
        try await store(Self.stream(bytes), limit: bytes.count)
    }

    private static func stream(_ bytes: [UInt8]) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            continuation.yield(ByteBuffer(bytes: bytes))
            continuation.finish()
        }
    }

    private func write<Body: AsyncSequence>(_ body: Body, limit: Int, identify: Bool) async throws -> (blob: Blob, kind: FileKind?)
    where Body.Element == ByteBuffer {
        try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
        let storageName = UUID().uuidString.lowercased() + ".zed"
        let partPath = FilePath(incoming + "/" + storageName + ".part")
        // Created under its own name (not NIO's hidden temporary one), so that start-up finds a
        // crash's leftovers in `incoming`; private to the server's user.
        let options = OpenOptions.Write(existingFile: .none, newFile: .init(permissions: [.ownerReadWrite], transactionalCreation: false))
        do {
            let dataKey = Envelope.newDataKey()
            let (size, sha256, kind) = try await FileSystem.shared.withFileHandle(forWritingAt: partPath, options: options) { handle in
                var file = handle.bufferedWriter(capacity: .kibibytes(512))
                var encryptor = ChunkedEncryptor(key: dataKey)
                var hasher = SHA256Stream()
                var budget = ByteBudget(limit: limit)
                var head: [UInt8] = []
                var kind: FileKind?
                var decided = !identify
                var size: Int64 = 0
                try await file.write(contentsOf: encryptor.header())
                for try await buffer in body {
                    let bytes = buffer.readableBytesView
                    try budget.consume(bytes.count)
                    size += Int64(bytes.count)
                    if !decided {
                        // Hold the first bytes back until there are enough to tell the type.
                        head += bytes
                        guard head.count >= FileKind.sniffLength else { continue }
                        guard let sniffed = FileKind.sniff(head) else { throw StoreError.unsupportedType }
                        (kind, decided) = (sniffed, true)
                        hasher.update(head)
                        try await file.write(contentsOf: try encryptor.encrypt(head, final: false))
                        head = []
                    } else {
                        hasher.update(bytes)
                        try await file.write(contentsOf: try encryptor.encrypt(bytes, final: false))
                    }
                }
                if !decided {
                    guard !head.isEmpty else { throw StoreError.empty }
                    guard let sniffed = FileKind.sniff(head) else { throw StoreError.unsupportedType }
                    kind = sniffed
                }
                if size == 0 { throw StoreError.empty }
                hasher.update(head)
                try await file.write(contentsOf: try encryptor.encrypt(head, final: true))
                try await file.flush()
                try await handle.synchronize()
                return (size, hasher.hexDigest(), kind)
            }
            try await FileSystem.shared.moveItem(at: partPath, to: FilePath(directory + "/" + storageName))
            try await Self.syncDirectory(directory)
            return (Blob(storageName: storageName, size: size, sha256: sha256, wrappedKey: try Envelope.wrap(dataKey, with: keys.current)), kind)
        } catch {
            _ = try? await FileSystem.shared.removeItem(at: partPath)
            throw error
        }
    }

    /// A stored file ready to be sent: its data key unwrapped and its presence checked, so that a
    /// missing file or an unknown key fails before any byte of the response has gone out.
    struct Source: Sendable {
        let path: FilePath
        let key: SymmetricKey
        let expectedSHA256: String
    }

    func source(storageName: String, wrappedKey: WrappedKey, expectedSHA256: String) async throws -> Source {
        let path = FilePath(directory + "/" + storageName)
        guard try await FileSystem.shared.info(forFileAt: path) != nil else {
            throw Abort(.internalServerError, reason: "stored document \(storageName) is missing")
        }
        return Source(path: path, key: try Envelope.unwrap(wrappedKey, using: keys.all), expectedSHA256: expectedSHA256)
    }

    /// Decrypts a stored file piece by piece into `send`, which is awaited before the next piece is
    /// read: a slow client holds the reading back, so memory stays flat whatever the file's size.
    /// The hash is checked at the end: a file that does not match stops with an error before its
    /// last piece, so a client never receives a complete copy of altered bytes.
    func stream(_ source: Source, into send: (ByteBuffer) async throws -> Void) async throws {
        try await FileSystem.shared.withFileHandle(forReadingAt: source.path) { handle in
            var decryptor = ChunkedDecryptor(key: source.key)
            var hasher = SHA256Stream()
            var pending: [UInt8] = []
            for try await piece in handle.readChunks(in: 0..., chunkLength: .kibibytes(512)) {
                let plain = try decryptor.decrypt(piece.readableBytesView)
                hasher.update(plain)
                // Held back one piece, so the last one goes out only once the hash is right.
                if !pending.isEmpty { try await send(ByteBuffer(bytes: pending)) }
                pending = plain
            }
            let tail = try decryptor.finish()
            hasher.update(tail)
            guard hasher.hexDigest() == source.expectedSHA256 else {
                throw Abort(.internalServerError, reason: "stored document \(source.path) does not match its recorded hash")
            }
            try await send(ByteBuffer(bytes: pending + tail))
        }
    }

    /// The plaintext bytes `range` of a stored file, decrypting only the chunks that hold them.
    /// Each chunk is authenticated with its place in the file; the whole file's hash is not (only
    /// a whole read sees every byte), so a range is for playing a recording, not for keeping.
    func stream(_ source: Source, range: Range<Int64>, into send: (ByteBuffer) async throws -> Void) async throws {
        try await FileSystem.shared.withFileHandle(forReadingAt: source.path) { handle in
            let header = Array(try await handle.readChunk(fromAbsoluteOffset: 0, length: .bytes(Int64(ZEDOC1Span.headerLength))).readableBytesView)
            let span = try ZEDOC1Span(plaintext: range, header: header)
            let fileSize = try await handle.info().size
            // A stored file shorter than its recorded size: nothing of the range is there.
            guard fileSize > span.sealed.lowerBound else { throw DocumentCryptoError.truncated }
            var decryptor = try ChunkedDecryptor(key: source.key, header: header, startingAtChunk: span.firstChunk)
            var skip = span.skip
            var left = Int(range.count)
            func emit(_ plain: [UInt8]) async throws {
                let dropped = min(skip, plain.count)
                skip -= dropped
                let part = plain[dropped..<min(plain.count, dropped + left)]
                left -= part.count
                if !part.isEmpty { try await send(ByteBuffer(bytes: part)) }
            }
            for try await piece in handle.readChunks(in: span.sealed.lowerBound..<min(span.sealed.upperBound, fileSize),
                                                     chunkLength: .kibibytes(512)) {
                try await emit(try decryptor.decrypt(piece.readableBytesView))
            }
            // A short final chunk is only opened once the input has ended.
            if span.sealed.upperBound >= fileSize { try await emit(try decryptor.finish()) }
            guard left == 0 else { throw DocumentCryptoError.truncated }
        }
    }

    /// The whole plaintext of a small stored piece (a recording chunk, at most `VideoConfig.chunkLimit`;
    /// a drawn signature; a printed certificate), checked against its recorded hash. Documents go out
    /// through `stream`, never whole.
    func read(storageName: String, wrappedKey: WrappedKey, expectedSHA256: String) async throws -> Data {
        let source = try await source(storageName: storageName, wrappedKey: wrappedKey, expectedSHA256: expectedSHA256)
        var whole = Data()
        try await stream(source) { whole.append(contentsOf: $0.readableBytesView) }
        return whole
    }

    func remove(storageName: String) {
        try? FileManager.default.removeItem(atPath: directory + "/" + storageName)
    }

    /// Removes partial uploads a crash left behind; they were never acknowledged.
    func clearIncoming() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: incoming) else { return }
        for name in names where name.hasSuffix(".part") {
            try? FileManager.default.removeItem(atPath: incoming + "/" + name)
        }
    }

    /// A rename is durable only once the directory itself is synced.
    private static func syncDirectory(_ path: String) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            fsync(descriptor)
        }
    }
}
