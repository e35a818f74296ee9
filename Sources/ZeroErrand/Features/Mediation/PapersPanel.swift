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
        let isPrivate: Bool
        let meta: String
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
        let documents = try await req.mediations.documents(entry.loaded, viewer: entry.viewer)
        let lines = documents.map { document in
            Line(name: document.originalName, path: SiteURL.mediationDocument(id: id, document: document.id!.uuidString.lowercased()).path,
                 audience: req.t("mediation.audience.\(document.audience.rawValue)"), isPrivate: document.audience != .shared,
                 meta: [document.kind.rawValue.uppercased(), ByteCountFormatter.string(fromByteCount: document.size, countStyle: .file),
                        document.uploadedBy.kind == .staff ? req.t("mediation.author.court", ["name": document.uploadedBy.displayName])
                            : document.uploadedBy.displayName,
                        req.showTime(document.createdAt, in: zone)].joined(separator: " · "))
        }
        let uploads = entry.loaded.mediation.ending != nil ? [] : RecordAccess.writableAudiences(entry.viewer).map { audience in
            Upload(id: "paper-\(audience.rawValue)", label: req.t("mediation.papers.add.\(audience.rawValue)"),
                   url: SiteURL.mediationDocuments(id: id).path + "?audience=\(audience.rawValue)")
        }
        return PapersPanel(documents: lines, uploads: uploads, uploadLimitMB: req.dependencies.config.uploadLimit / 1024 / 1024)
    }
}
