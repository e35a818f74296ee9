import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The mediation's papers: any party, the mediator or the court adds one for an audience it may
/// write for; each viewer reads only the audiences `RecordAccess.mayRead` gives them.
extension MediationService {
    /// Streams the body into the encrypted store, then records the paper and an audit event in one
    /// transaction that re-reads the mediation: a paper arriving after the mediation ended is
    /// refused and its bytes removed. The answer comes only once all of it is durable.
    func addDocument(_ loaded: MediationRecord, viewer: RecordAccess.MediationViewer, audience raw: String?) async throws -> MediationDocument {
        guard loaded.mediation.ending == nil else { throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey) }
        guard let audience = raw.flatMap(RecordAccess.MediationAudience.init(rawValue:)),
              RecordAccess.writableAudiences(viewer).contains(audience) else {
            throw AppError(status: .unprocessableEntity, key: "mediation.error.paper_audience")
        }
        let name = DocumentUpload.fileName(request)
        let config = request.dependencies.config
        let mediationID = loaded.id
        let used = { @Sendable (db: any Database) in
            try await DocumentUpload.usedBytes(in: MediationDocument.schema, ownedBy: "mediation_id", mediationID, on: db)
        }
        let quota = DocumentUpload.quotaLeft(used: try await used(request.db), config: config)
        let stored = try await DocumentUpload.storeBody(request, quotaLeft: quota.left, quotaFull: quota.full)
        let uploaderID = try request.requireAccount().requireID()
        let now = request.now
        do {
            return try await request.audited { db, audit in
                guard let current = try await Mediation.find(mediationID, on: db), current.ending == nil else {
                    throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey)
                }
                // Uploads running side by side each saw the quota before the others landed.
                guard try await used(db) + stored.size <= Int64(config.caseQuota) else { throw quota.full }
                let document = MediationDocument()
                document.$mediation.id = mediationID
                document.audience = audience
                document.$uploadedBy.id = uploaderID
                document.describe(stored, name: name)
                document.createdAt = now
                try await document.create(on: db)
                try await audit.record("mediation.document_added", "mediation", mediationID.uuidString.lowercased(),
                                       ["document": try document.requireID().uuidString.lowercased(), "audience": audience.rawValue,
                                        "sha256": stored.sha256, "kind": stored.kind.rawValue])
                return document
            }
        } catch {
            // Not acknowledged, so not kept: the blob without its record would be unreachable anyway.
            request.dependencies.documents.remove(storageName: stored.storageName)
            throw error
        }
    }

    /// The papers the viewer may read, oldest first.
    func documents(_ loaded: MediationRecord, viewer: RecordAccess.MediationViewer) async throws -> [MediationDocument] {
        try await MediationDocument.query(on: request.db).filter(\.$mediation.$id == loaded.id).with(\.$uploadedBy).sort(\.$createdAt).all()
            .filter { RecordAccess.mayRead(viewer, $0.audience) }
    }

    /// The paper named by `:document`, when it belongs to this mediation and the viewer may read its
    /// audience; otherwise the same 404 as for a paper that does not exist. Officials' reading is
    /// written to the audit log, as for a case's files.
    func document(_ loaded: MediationRecord, viewer: RecordAccess.MediationViewer) async throws -> MediationDocument {
        guard let id = request.parameters.get("document", as: UUID.self),
              let document = try await MediationDocument.query(on: request.db).filter(\.$id == id).filter(\.$mediation.$id == loaded.id).first(),
              RecordAccess.mayRead(viewer, document.audience) else { throw AppError.notFound }
        try await auditReading(id, of: loaded, by: viewer)
        return document
    }

    /// Officials' reading of a paper goes to the audit log (and so to the parties' access log).
    private func auditReading(_ document: UUID, of loaded: MediationRecord, by viewer: RecordAccess.MediationViewer) async throws {
        guard viewer.isOfficial else { return }
        try await request.audited { _, audit in
            try await audit.record("mediation.document_viewed", "mediation", loaded.id.uuidString.lowercased(),
                                   ["document": document.uuidString.lowercased()])
        }
    }

    /// The request's materials every party is served with (`MediationCourts.servedMaterials`),
    /// as the filer uploaded them on their case, oldest first.
    func requestPapers(_ loaded: MediationRecord) async throws -> [CaseDocument] {
        try await requestPapersQuery(loaded).with(\.$uploadedBy).sort(\.$createdAt).all()
    }

    private func requestPapersQuery(_ loaded: MediationRecord) throws -> QueryBuilder<CaseDocument> {
        let caseID = try loaded.record.requireID()
        return CaseDocument.query(on: request.db).filter(\.$caseRecord.$id == caseID)
            .filter(\.$purpose == .material).filter(\.$materialIndex ~~ Array(MediationCourts.servedMaterials))
    }

    /// One of those, named by `:document`; anything else of the case is the same 404 here (the
    /// case's own routes serve the filer and the court).
    func requestPaper(_ loaded: MediationRecord, viewer: RecordAccess.MediationViewer) async throws -> CaseDocument {
        guard let id = request.parameters.get("document", as: UUID.self),
              let document = try await requestPapersQuery(loaded).filter(\.$id == id).first() else { throw AppError.notFound }
        try await auditReading(id, of: loaded, by: viewer)
        return document
    }
}
