import Fluent
import Vapor
import ZeroErrandCore

/// The citizen's document wallet: every result an office issued on their own cases (a notarial
/// certificate, an authenticated certificate, a clearance), with its issuer, hash and standing.
/// Another office's matter can take one as a material ("exempt from submission"): the citizen
/// picks it and consents, the receiving case gets the same bytes marked with where they came from,
/// and the office checks them against the issuer's record. Nothing is shared without that step.
struct DocumentWallet {
    let request: Request

    /// Cases whose result stands: issued, or closed after issuing.
    static let issuedStatuses: [CaseStatus] = [.resultIssued, .closed]

    struct Item: Sendable {
        let document: CaseDocument
        let caseNumber: String
        let matter: String
        let issuer: String
        let issuerID: UUID
        let revoked: Bool
    }

    /// The account's issued documents, newest first.
    func items(of account: Account) async throws -> [Item] {
        let cases = try await Case.query(on: request.db).filter(\.$applicant.$id == account.requireID())
            .filter(\.$status ~~ Self.issuedStatuses).withCatalogueMatter(request.catalogue).with(\.$department).all()
        guard !cases.isEmpty else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0) })
        let documents = try await CaseDocument.query(on: request.db).filter(\.$caseRecord.$id ~~ Array(byID.keys))
            .filter(\.$purpose == .result).sort(\.$createdAt, .descending).all()
        let revoked = try await revokedDocuments(documents.compactMap(\.id))
        return documents.compactMap { document in
            guard let record = byID[document.$caseRecord.id] else { return nil }
            return Item(document: document, caseNumber: record.number, matter: record.matter.name(request.locale),
                        issuer: record.department.name(request.locale), issuerID: record.$department.id,
                        revoked: revoked.contains(document.id!))
        }
    }

    /// Result documents among `ids` whose certificate the issuing office revoked.
    func revokedDocuments(_ ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await NotarialCertificate.query(on: request.db).filter(\.$document.$id ~~ ids).filter(\.$revokedAt != nil).all()
            .map(\.$document.id))
    }

    /// Puts the issued document `sourceID` on `record` as material `index`, with the citizen's
    /// consent to the case's office reading it. Only the applicant, on their own case, from their
    /// own wallet; the same rules as an upload decide whether the material may be given now.
    func share(_ sourceID: UUID?, into record: Case, material index: Int?, consent: Bool) async throws -> CaseDocument {
        let account = try request.requireAccount()
        let accountID = try account.requireID()
        guard record.$applicant.id == accountID else { throw AppError(status: .forbidden, key: "wallet.error.own_only") }
        guard let sourceID, let item = try await items(of: account).first(where: { $0.document.id == sourceID }) else {
            throw AppError(status: .unprocessableEntity, key: "wallet.error.choose")
        }
        guard !item.revoked else { throw AppError(status: .conflict, key: "wallet.error.revoked") }
        guard consent else { throw AppError(status: .unprocessableEntity, key: "wallet.error.consent") }
        guard let index, CaseWorkflow.applicantMayUpload(.material, material: index, to: record) else {
            throw AppError(status: .conflict, key: "upload.not_now")
        }
        let caseID = try record.requireID(), number = record.number, now = request.now
        let office = record.department.name(.zhHans)
        // A copy of its own in the store, read through the hash check: the case keeps its material
        // whatever becomes of the original, and the bytes are the ones issued.
        let source = item.document
        let store = request.dependencies.documents
        let blob = try await store.storeBytes(Array(try await store.read(storageName: source.storageName, wrappedKey: source.wrappedKey,
                                                                   expectedSHA256: source.sha256)))
        do {
            return try await recordCopy(blob, from: source, into: caseID, number: number, office: office, material: index, by: accountID, now: now)
        } catch {
            store.remove(storageName: blob.storageName)
            throw error
        }
    }

    private func recordCopy(_ blob: DocumentStore.Blob, from source: CaseDocument, into caseID: UUID, number: String, office: String,
                        material index: Int, by accountID: UUID, now: Date) async throws -> CaseDocument {
        let sourceID = try source.requireID()
        return try await request.audited { db, audit in
            guard let current = try await Case.query(on: db).filter(\.$id == caseID).withCatalogueMatter(request.catalogue).first(), CaseWorkflow.applicantMayUpload(.material, material: index, to: current) else {
                throw AppError(status: .conflict, key: "upload.not_now")
            }
            let copy = CaseDocument(caseID: caseID, by: accountID, purpose: .material, materialIndex: index, name: source.originalName,
                                    kind: source.kind, blob: blob, now: now)
            copy.issuedFrom = sourceID
            try await DocumentUpload.attach(copy, to: current, on: db)
            // On the issued document: the citizen's access log shows where it went.
            try await audit.record("wallet.shared", "document", sourceID.uuidString.lowercased(),
                                   ["case": number, "office": office, "sha256": source.sha256])
            return copy
        }
    }

    /// What the receiving office is told about a material from the wallet: who issued it, and
    /// whether it still matches the issuer's record (same bytes, not revoked).
    func provenance(of documents: [CaseDocument]) async throws -> [UUID: String] {
        let sourceIDs = documents.compactMap(\.issuedFrom)
        guard !sourceIDs.isEmpty else { return [:] }
        let sources = Dictionary(uniqueKeysWithValues: try await CaseDocument.query(on: request.db).filter(\.$id ~~ sourceIDs)
            .filter(\.$purpose == .result).with(\.$caseRecord) { $0.with(\.$department) }.all().map { ($0.id!, $0) })
        let revoked = try await revokedDocuments(sourceIDs)
        var result: [UUID: String] = [:]
        for document in documents {
            guard let sourceID = document.issuedFrom, let id = document.id else { continue }
            guard let source = sources[sourceID], source.sha256 == document.sha256,
                  Self.issuedStatuses.contains(source.caseRecord.status) else {
                result[id] = request.t("wallet.check.failed")
                continue
            }
            let issuer = source.caseRecord.department.name(request.locale)
            let day = request.showTime(source.createdAt)
            result[id] = revoked.contains(sourceID) ? request.t("wallet.check.revoked", ["office": issuer])
                : request.t("wallet.check.ok", ["office": issuer, "number": source.caseRecord.number, "time": day])
        }
        return result
    }
}

extension Request {
    var wallet: DocumentWallet { DocumentWallet(request: self) }
}
