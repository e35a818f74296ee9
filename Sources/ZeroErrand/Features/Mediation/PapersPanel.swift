import Fluent
import Vapor
import ZeroErrandCore

/// The mediation's papers the viewer may read, and one upload field for each audience they may
/// write for (so choosing who reads a paper needs no script beyond the upload itself).
struct PapersPanel: Encodable {
    struct Line: Encodable {
        let name: String
        let path: String
        let audience: String
        /// The audience, for the badge's colour.
        let style: String
        /// Kind, size, who, when: each kept whole when the line wraps.
        let meta: [String]
    }

    struct Upload: Encodable {
        let id: String
        let label: String
        let url: String
    }

    let documents: [Line]
    let uploads: [Upload]
    let uploadLimitMB: Int

    static func make(_ req: Request, _ entry: MediationAccess.Entry, zone: TimeZone) async throws -> PapersPanel {
        let id = entry.loaded.id.uuidString.lowercased()
        let loaded = entry.loaded
        // First what every party was served with: the request's application and evidence.
        let matter = try await loaded.record.$matter.get(on: req.db)
        let served = try await req.mediations.requestPapers(loaded).map { document in
            let material = document.materialIndex.flatMap { matter.materials.indices.contains($0) ? matter.materials[$0].name(req.locale) : nil }
            return Line(name: document.originalName, path: SiteURL.mediationRequestPaper(id: id, document: document.id!.uuidString.lowercased()).path,
                        audience: req.t("mediation.papers.served"), style: "shared",
                        meta: [material ?? "", document.kind.rawValue.uppercased(), CasePresenter.size(document.size),
                               loaded.actorName(document.uploadedBy, req), req.showTime(document.createdAt, in: zone)].filter { !$0.isEmpty })
        }
        let added = try await req.mediations.documents(loaded, viewer: entry.viewer).map { document in
            Line(name: document.originalName, path: SiteURL.mediationDocument(id: id, document: document.id!.uuidString.lowercased()).path,
                 audience: req.t("mediation.audience.\(document.audience.rawValue)"), style: document.audience.rawValue,
                 meta: [document.kind.rawValue.uppercased(), CasePresenter.size(document.size), loaded.actorName(document.uploadedBy, req),
                        req.showTime(document.createdAt, in: zone)])
        }
        let lines = served + added
        let uploads = loaded.mediation.ending != nil ? [] : RecordAccess.writableAudiences(entry.viewer).map { audience in
            Upload(id: "paper-\(audience.rawValue)", label: req.t("mediation.papers.add.\(audience.rawValue)"),
                   url: SiteURL.mediationDocuments(id: id).path + "?audience=\(audience.rawValue)")
        }
        return PapersPanel(documents: lines, uploads: uploads, uploadLimitMB: req.dependencies.config.uploadLimit / 1024 / 1024)
    }
}
