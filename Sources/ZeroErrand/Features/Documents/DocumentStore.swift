import Crypto
import Foundation
import NIOCore
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
        let partPath = incoming + "/" + storageName + ".part"
        guard FileManager.default.createFile(atPath: partPath, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: partPath) else {
            throw Abort(.internalServerError, reason: "document store is not writable")
        }
        do {
            let dataKey = Envelope.newDataKey()
            var encryptor = ChunkedEncryptor(key: dataKey)
            var hasher = SHA256Stream()
            var budget = ByteBudget(limit: limit)
            var head: [UInt8] = []
            var kind: FileKind?
            var decided = !identify
            var size: Int64 = 0
            try handle.write(contentsOf: encryptor.header())

            func consume(_ bytes: [UInt8], final: Bool) throws {
                hasher.update(bytes)
                try handle.write(contentsOf: try encryptor.encrypt(bytes, final: final))
            }
            for try await buffer in body {
                let bytes = Array(buffer.readableBytesView)
                try budget.consume(bytes.count)
                size += Int64(bytes.count)
                if !decided {
                    // Hold the first bytes back until there are enough to tell the type.
                    head += bytes
                    guard head.count >= FileKind.sniffLength else { continue }
                    guard let sniffed = FileKind.sniff(head) else { throw StoreError.unsupportedType }
                    kind = sniffed
                    decided = true
                    try consume(head, final: false)
                    head = []
                } else {
                    try consume(bytes, final: false)
                }
            }
            if !decided {
                guard !head.isEmpty else { throw StoreError.empty }
                guard let sniffed = FileKind.sniff(head) else { throw StoreError.unsupportedType }
                kind = sniffed
            }
            if size == 0 { throw StoreError.empty }
            try consume(head, final: true)
            try handle.synchronize()
            try handle.close()
            try FileManager.default.moveItem(atPath: partPath, toPath: directory + "/" + storageName)
            try Self.syncDirectory(directory)
            return (Blob(storageName: storageName, size: size, sha256: hasher.hexDigest(), wrappedKey: try Envelope.wrap(dataKey, with: keys.current)), kind)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partPath)
            throw error
        }
    }

    /// Decrypts a stored file piece by piece, for files too large to hold in memory (recordings).
    /// The hash is checked at the end: a file that does not match stops with an error before its
    /// last piece, so a client never receives a complete copy of altered bytes.
    func readStream(storageName: String, wrappedKey: WrappedKey, expectedSHA256: String) throws -> AsyncThrowingStream<ByteBuffer, any Error> {
        guard let handle = FileHandle(forReadingAtPath: directory + "/" + storageName) else {
            throw Abort(.internalServerError, reason: "stored document \(storageName) is missing")
        }
        let key = try Envelope.unwrap(wrappedKey, using: keys.all)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var decryptor = ChunkedDecryptor(key: key)
                do {
                    var hasher = SHA256Stream()
                    var pending: [UInt8] = []
                    while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
                        let plain = try decryptor.decrypt(Array(piece))
                        hasher.update(plain)
                        // Held back one piece, so the last one goes out only once the hash is right.
                        if !pending.isEmpty { continuation.yield(ByteBuffer(bytes: pending)) }
                        pending = plain
                    }
                    let tail = try decryptor.finish()
                    hasher.update(tail)
                    try handle.close()
                    guard hasher.hexDigest() == expectedSHA256 else {
                        throw Abort(.internalServerError, reason: "stored document \(storageName) does not match its recorded hash")
                    }
                    continuation.yield(ByteBuffer(bytes: pending + tail))
                    continuation.finish()
                } catch {
                    try? handle.close()
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A response body that decrypts the stored file as it is sent; a file that fails its hash
    /// check ends the response with an error instead of its last piece.
    func responseBody(storageName: String, wrappedKey: WrappedKey, expectedSHA256: String, size: Int?, logger: Logger) throws -> Response.Body {
        let stream = try readStream(storageName: storageName, wrappedKey: wrappedKey, expectedSHA256: expectedSHA256)
        return Response.Body(asyncStream: { writer in
            do {
                for try await buffer in stream { try await writer.write(.buffer(buffer)) }
                try await writer.write(.end)
            } catch {
                logger.error("stored file \(storageName) could not be sent: \(error)")
                try await writer.write(.error(error))
            }
        }, count: size ?? -1)
    }

    /// The whole plaintext of a small stored piece (a recording chunk, at most `VideoConfig.chunkLimit`),
    /// checked against its recorded hash. Documents go out through `responseBody`, never whole.
    func read(storageName: String, wrappedKey: WrappedKey, expectedSHA256: String) throws -> Data {
        guard let encrypted = FileManager.default.contents(atPath: directory + "/" + storageName) else {
            throw Abort(.internalServerError, reason: "stored document \(storageName) is missing")
        }
        var decryptor = ChunkedDecryptor(key: try Envelope.unwrap(wrappedKey, using: keys.all))
        // The last short chunk is only known to be last when the input ends: finish() returns it.
        let plaintext = try decryptor.decrypt(encrypted) + decryptor.finish()
        var hasher = SHA256Stream()
        hasher.update(plaintext)
        guard hasher.hexDigest() == expectedSHA256 else {
            throw Abort(.internalServerError, reason: "stored document \(storageName) does not match its recorded hash")
        }
        return Data(plaintext)
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
    private static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        fsync(descriptor)
    }
}
