import Fluent
import Foundation
import ZeroErrandCore

/// The office's electronic notarial journal: one entry per act (parties, identity evidence, the
/// recording and its hash, the signatures, the fee, the result), and later entries for a
/// revocation or a correction. Entries are only ever appended; `sequence` numbers them per office.
enum NotarialJournal {
    struct SignatureFact: Codable, Sendable {
        var signer: String
        var sha256: String
        var signedAt: Date
        var session: String
        var method: String
        var identityLevel: Int
    }

    /// What an entry records; sealed at rest as JSON, since it names people. Facts, not sentences:
    /// the journal page words them in the reader's language.
    struct Facts: Codable, Sendable {
        var certificate: String
        var applicantName: String
        var applicantAccount: String
        /// How identity was established: the video session, the level reached, who confirmed it and when.
        var videoSession: String
        var identityLevel: Int
        var certifiedBy: String
        var certifiedAt: Date?
        var recording: String
        var recordingSHA256: String
        var documentSHA256: String
        var signatures: [SignatureFact]
        var feeFen: Int
        var revocationReason: String?
        var notary: String
        /// For a correction: what was wrong and what is right.
        var note: String?
    }

    static func append(_ kind: NotarialJournalEntry.Kind, for act: NotarialActRecord, certificate: NotarialCertificate, applicant: UUID,
                       fee: Int, notaryName: String, departmentID: UUID, by notary: UUID, now: Date, on db: any Database,
                       secrets: Secrets, corrects: UUID? = nil, note: String? = nil) async throws {
        let notarization = act.notarization
        let holder = try await Account.find(applicant, on: db)
        let current = act.signatures.filter { $0.sha256 == notarization.documentSHA256 && $0.videoSessionID == notarization.sessionID }
        var certifier: Account?
        if let certifiedBy = notarization.certifiedBy { certifier = try await Account.find(certifiedBy, on: db) }
        let facts = Facts(
            certificate: certificate.number,
            applicantName: certificate.holderName,
            applicantAccount: applicant.uuidString.lowercased(),
            videoSession: notarization.sessionID?.uuidString.lowercased() ?? "",
            identityLevel: holder?.identityLevel?.rawValue ?? 0,
            certifiedBy: certifier?.displayName ?? "",
            certifiedAt: notarization.certifiedAt,
            recording: notarization.recordingID?.uuidString.lowercased() ?? "",
            recordingSHA256: notarization.recordingSHA256 ?? "",
            documentSHA256: notarization.documentSHA256 ?? "",
            signatures: current.map {
                SignatureFact(signer: $0.$account.id.uuidString.lowercased(), sha256: $0.sha256, signedAt: $0.signedAt,
                              session: $0.videoSessionID?.uuidString.lowercased() ?? "", method: $0.method, identityLevel: $0.identityLevel)
            },
            feeFen: fee,
            revocationReason: kind == .revocation ? certificate.revokedReason : nil,
            notary: notaryName,
            note: note)
        try await write(kind, facts: facts, notarization: try notarization.requireID(), corrects: corrects, departmentID: departmentID,
                        by: notary, now: now, on: db, secrets: secrets)
    }

    /// A correction of `entry`: its facts again with what was wrong and what is right; the entry
    /// itself stays as it was.
    static func correct(_ entry: NotarialJournalEntry, note: String, by notary: UUID, now: Date, on db: any Database,
                        secrets: Secrets) async throws {
        var facts = try Self.facts(of: entry, secrets: secrets)
        facts.note = note
        try await write(.correction, facts: facts, notarization: entry.$notarization.id, corrects: try entry.requireID(),
                        departmentID: entry.$department.id, by: notary, now: now, on: db, secrets: secrets)
    }

    private static func write(_ kind: NotarialJournalEntry.Kind, facts: Facts, notarization: UUID, corrects: UUID?, departmentID: UUID,
                              by notary: UUID, now: Date, on db: any Database, secrets: Secrets) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let last = try await NotarialJournalEntry.query(on: db).filter(\.$department.$id == departmentID)
            .sort(\.$sequence, .descending).first()?.sequence ?? 0
        let entry = NotarialJournalEntry()
        entry.$department.id = departmentID
        entry.sequence = last + 1
        entry.kind = kind
        entry.$notarization.id = notarization
        entry.correctsID = corrects
        entry.facts = try secrets.sealText(String(decoding: try encoder.encode(facts), as: UTF8.self))
        entry.recordedAt = now
        entry.$recordedBy.id = notary
        try await entry.create(on: db)
    }

    static func facts(of entry: NotarialJournalEntry, secrets: Secrets) throws -> Facts {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Facts.self, from: Data(try secrets.openText(entry.facts).utf8))
    }
}
