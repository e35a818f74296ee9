import Vapor

/// `zeroerrand audit-verify`: checks the whole audit chain and names the first broken link.
/// Exits non-zero when the chain is broken, so it can run from cron or CI.
struct VerifyAuditCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Verifies the hash chain of the audit log and names the first broken link." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await AuditVerifier.verify(on: context.application.db, key: context.application.dependencies.secrets.auditKey)
        if let broken = report.firstBreak {
            context.console.error("Audit chain BROKEN: \(broken) (\(report.eventCount) events verified before it).")
            throw AuditChainBroken()
        }
        let checkpoints = AuditCheckpoints(context.application)
        switch try await checkpoints.verify(on: context.application.db) {
        case nil:
            context.console.warning("No audit checkpoint in \(checkpoints.directory) yet: a log cut at its end cannot be told apart.")
        case .agrees?:
            let checkpoint = try checkpoints.latest()
            context.console.info("Agrees with the checkpoint of event \(checkpoint?.sequence ?? 0) written \(checkpoint?.writtenAt.formatted(.iso8601) ?? "").")
        case let finding?:
            context.console.error("Audit log does NOT match its checkpoint: \(finding).")
            throw AuditChainBroken()
        }
        context.console.success("Audit chain intact: \(report.eventCount) events verified.")
    }

    struct AuditChainBroken: Error, CustomStringConvertible {
        var description: String { "the audit chain is broken" }
    }
}
