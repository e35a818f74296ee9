import Vapor

/// `zeroerrand documents-rewrap`: after a new master key is put first in ZE_DOCUMENT_KEYS, moves
/// every document's data key under it. The old key can be removed once this reports success.
struct RewrapDocumentsCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Re-wraps every document's data key with the current master key (key rotation)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let keys = app.dependencies.documents.keys
        let moved = try await DocumentKeyRotation.rewrapAll(on: app.db, keys: keys)
        try await app.audited(.system) { _, audit in
            try await audit.record("documents.rewrapped", "master_key", keys.current.id, ["documents": String(moved)])
        }
        context.console.success("\(moved) document keys now wrapped with master key \(keys.current.id).")
    }
}
