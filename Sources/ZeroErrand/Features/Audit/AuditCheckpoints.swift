import Crypto
import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Writes the audit chain's head to a signed checkpoint file outside the database (at least every
/// minute while serving, and at shutdown), optionally mails it to an auditor, and compares the
/// database with the newest one (`audit-verify`).
struct AuditCheckpoints: Sendable {
    let directory: String
    let key: Curve25519.Signing.PrivateKey

    init(_ app: Application) {
        let config = app.dependencies.config
        directory = config.auditCheckpointDirectory.isEmpty ? config.dataDirectory + "/audit-checkpoints" : config.auditCheckpointDirectory
        key = app.dependencies.secrets.checkpointKey
    }

    private var latestPath: String { directory + "/latest.json" }
    private var historyPath: String { directory + "/history.jsonl" }

    /// Writes a checkpoint of the current head unless the newest one already says the same.
    /// The file is replaced atomically and synced; every checkpoint is also appended to a history.
    @discardableResult
    func write(_ app: Application) async throws -> AuditCheckpoint? {
        guard let head = try await AuditHead.find(1, on: app.db) else { return nil }
        if let latest = try latest(), latest.sequence == head.sequence, latest.hash == head.hash { return nil }
        let checkpoint = try AuditCheckpoint.make(sequence: head.sequence, hash: head.hash, at: app.dependencies.clock.now(), key: key)
        let line = try Self.encoder.encode(checkpoint)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = latestPath + ".part"
        try Self.writeSynced(line, to: temporary)
        guard rename(temporary, latestPath) == 0 else { throw Abort(.internalServerError, reason: "cannot replace \(latestPath)") }
        let history = FileHandle(forWritingAtPath: historyPath) ?? {
            FileManager.default.createFile(atPath: historyPath, contents: nil)
            return FileHandle(forWritingAtPath: historyPath)
        }()
        try history?.seekToEnd()
        try history?.write(contentsOf: line + Data("\n".utf8))
        try history?.synchronize()
        try history?.close()
        return checkpoint
    }

    /// The newest checkpoint: `latest.json`, or the last line of the history if that file is gone
    /// (deleting one file must not hide a log cut at its end).
    func latest() throws -> AuditCheckpoint? {
        if let data = FileManager.default.contents(atPath: latestPath) {
            return try Self.decoder.decode(AuditCheckpoint.self, from: data)
        }
        guard let history = FileManager.default.contents(atPath: historyPath),
              let last = history.split(separator: UInt8(ascii: "\n")).last else { return nil }
        return try Self.decoder.decode(AuditCheckpoint.self, from: Data(last))
    }

    /// The database against the newest checkpoint; nil when none was written yet.
    func verify(on database: any Database) async throws -> AuditCheckpoint.Finding? {
        guard let checkpoint = try latest() else { return nil }
        let head = try await AuditHead.find(1, on: database)?.sequence ?? 0
        let stored = try await AuditEvent.find(checkpoint.sequence, on: database)?.hash
        return checkpoint.check(storedHashAtSequence: stored, databaseHead: head, key: key.publicKey)
    }

    /// The checkpoint as text an auditor keeps: the JSON line and the public key to check it with.
    func mailText(_ checkpoint: AuditCheckpoint) throws -> String {
        String(decoding: try Self.encoder.encode(checkpoint), as: UTF8.self)
            + "\n\nEd25519 public key (base64): " + key.publicKey.rawRepresentation.base64EncodedString()
    }

    private static func writeSynced(_ data: Data, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw Abort(.internalServerError, reason: "cannot write \(path)") }
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }
}

/// While serving: a checkpoint every minute when the log moved, one at shutdown, and (with
/// `ZE_AUDIT_CHECKPOINT_MAIL`) one by mail to the auditor at most every hour.
final class AuditCheckpointWorker: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    static let interval: Duration = .seconds(60)

    func didBootAsync(_ application: Application) async throws {
        let checkpoints = AuditCheckpoints(application)
        task = Task {
            var lastMailed = Date.distantPast
            while !Task.isCancelled {
                do {
                    if let written = try await checkpoints.write(application),
                       let auditor = application.dependencies.config.auditCheckpointMail,
                       written.writtenAt.timeIntervalSince(lastMailed) >= 3600 {
                        try await application.outbox.enqueueRaw(to: auditor, subject: "ZeroErrand audit checkpoint \(written.sequence)",
                                                                text: try checkpoints.mailText(written))
                        lastMailed = written.writtenAt
                    }
                } catch {
                    application.logger.error("audit checkpoint not written: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
        do { try await AuditCheckpoints(application).write(application) } catch {
            application.logger.error("audit checkpoint not written at shutdown: \(String(reflecting: error))")
        }
    }
}
