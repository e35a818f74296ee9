import Fluent
import Foundation
import Vapor
import Yams
import ZeroErrandCore

/// How long recordings are kept, per matter (by code) or per area, from `Resources/Video/retention.yaml`.
struct RecordingRetention: Sendable, Equatable {
    var defaultDays: Int
    var areas: [MatterArea: Int]
    var matters: [String: Int]

    func days(for matter: Matter) -> Int {
        matters[matter.code] ?? areas[matter.area] ?? defaultDays
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ path: String) throws -> RecordingRetention {
        guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }),
              let root = try Yams.load(yaml: text) as? [String: Any] else {
            throw Invalid(description: "\(path): not readable as YAML")
        }
        func days(_ value: Any?, _ field: String) throws -> Int {
            guard let days = value as? Int, (1...36500).contains(days) else {
                throw Invalid(description: "\(path): \(field) must be a number of days from 1 to 36500")
            }
            return days
        }
        var retention = RecordingRetention(defaultDays: try days(root["default_days"], "default_days"), areas: [:], matters: [:])
        for (name, value) in root["areas"] as? [String: Any] ?? [:] {
            guard let area = MatterArea(rawValue: name) else { throw Invalid(description: "\(path): areas.\(name) is not an area") }
            retention.areas[area] = try days(value, "areas.\(name)")
        }
        for (code, value) in root["matters"] as? [String: Any] ?? [:] {
            retention.matters[code] = try days(value, "matters.\(code)")
        }
        return retention
    }
}

/// `zeroerrand recordings-expire`: deletes recordings whose retention period has ended, and the
/// chunks of recordings abandoned mid-upload for two days. Each deletion is audited.
struct ExpireRecordingsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "dry-run", help: "Only count what would be deleted.")
        var dryRun: Bool
    }

    var help: String { "Deletes video recordings past their retention period (Resources/Video/retention.yaml)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let result = try await RecordingExpiry.run(context.application, dryRun: signature.dryRun)
        let text = "\(result.expired) expired recording(s) and \(result.abandoned) abandoned upload(s)"
        if signature.dryRun { context.console.print("Would delete " + text + ".") } else { context.console.success("Deleted " + text + ".") }
    }
}

enum RecordingExpiry {
    static func run(_ app: Application, dryRun: Bool = false) async throws -> (expired: Int, abandoned: Int) {
        let now = app.dependencies.clock.now()
        let expired = try await VideoRecording.query(on: app.db).filter(\.$status == .complete).filter(\.$expiresAt <= now).all()
        let abandoned = try await VideoRecording.query(on: app.db).filter(\.$status == .recording)
            .filter(\.$startedAt < now.addingTimeInterval(-2 * 86400)).all()
        if !dryRun {
            for recording in expired + abandoned { try await purge(recording, app: app, now: now) }
        }
        return (expired.count, abandoned.count)
    }

    private static func purge(_ recording: VideoRecording, app: Application, now: Date) async throws {
        let id = try recording.requireID()
        let chunks = try await VideoRecordingChunk.query(on: app.db).filter(\.$recording.$id == id).all()
        let storageName = recording.storageName
        let reason = recording.status == .complete ? "retention_ended" : "abandoned_upload"
        try await app.audited(.system) { db, audit in
            recording.status = .purged
            recording.purgedAt = now
            recording.storageName = nil
            recording.wrappedKey = nil
            try await recording.update(on: db)
            try await VideoRecordingChunk.query(on: db).filter(\.$recording.$id == id).delete()
            // The hash stays: the audit log can still prove what was deleted.
            try await audit.record("video.recording_purged", "video_recording", id.uuidString.lowercased(),
                                   ["reason": reason, "sha256": recording.sha256 ?? ""])
        }
        // Files go only after the rows: a crash in between leaves an unreferenced file, never a dangling row.
        let store = app.dependencies.documents
        if let storageName { store.remove(storageName: storageName) }
        for chunk in chunks { store.remove(storageName: chunk.storageName) }
    }
}
