import Fluent
import Vapor

/// `zeroerrand seal-keys`: makes the platform root and a seal key for every notary office that has
/// none in force, and lists them all; `--rotate CODE` retires an office's key and makes a new one.
/// Retired keys stay published, so what they sealed stays verifiable.
struct SealKeysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "rotate", help: "The code of the notary office whose key to replace, e.g. wz-notary.")
        var rotate: String?
    }

    var help: String { "Makes, lists and rotates the root and the notary offices' seal keys." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let keyring = SealKeyring(application: app, db: app.db, context: .system)
        let offices = try await Department.query(on: app.db).filter(\.$code ~~ Array(app.dependencies.notarial.offices.keys)).all()
        if let code = signature.rotate {
            guard let office = offices.first(where: { $0.code == code }) else {
                context.console.error("No notary office with the code \(code).")
                throw SealKeysError.unknownOffice
            }
            let key = try await keyring.rotate(office)
            context.console.success("\(code): new seal key \(key.keyID), valid until \(key.notAfter.formatted(.iso8601)).")
        }
        for office in offices { _ = try await keyring.currentSeal(for: office) }
        let names = Dictionary(uniqueKeysWithValues: offices.map { ($0.id!, $0.code) })
        for key in try await SealKey.query(on: app.db).sort(\.$createdAt).all() {
            let owner = key.$department.id.flatMap { names[$0] } ?? "root"
            let state = key.retiredAt == nil ? "in force" : "retired \(key.retiredAt!.formatted(.iso8601))"
            context.console.info("\(owner)\t\(key.keyID)\t\(key.notBefore.formatted(.iso8601)) – \(key.notAfter.formatted(.iso8601))\t\(state)")
        }
    }

    enum SealKeysError: Error { case unknownOffice }
}
