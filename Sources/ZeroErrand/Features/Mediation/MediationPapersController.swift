import Fluent
import Vapor
import ZeroErrandCore

/// The mediation's papers for each audience, and the agent a party names. Every route goes through
/// `MediationAccess` (the one record-level policy); a paper of an audience the viewer may not read
/// is the same 404 as one that does not exist.
struct MediationPapersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(Require(.manageOwnAccount))
        signedIn.on(.PUT, SiteURL.mediationDocuments(id: ":id").route, body: .stream, use: upload)
        signedIn.get(SiteURL.mediationDocument(id: ":id", document: ":document").route, use: download)
        signedIn.get(SiteURL.mediationRequestPaper(id: ":id", document: ":document").route, use: requestPaper)
        signedIn.post(SiteURL.mediationAgent(id: ":id").route, use: nameAgent)
    }

    struct PaperDTO: Content {
        let id: UUID
        let audience: String
        let name: String
        let kind: FileKind
        let size: Int64
        let sha256: String
        let createdAt: Date
    }

    /// The file is the whole body (as on a case), `?audience=` says who may read it.
    @Sendable func upload(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        let document = try await req.mediations.addDocument(entry.loaded, viewer: entry.viewer, audience: try? req.query.get(String.self, at: "audience"))
        return try await PaperDTO(id: document.requireID(), audience: document.audience.rawValue, name: document.originalName, kind: document.kind,
                                  size: document.size, sha256: document.sha256, createdAt: document.createdAt)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        return try await DocumentUpload.send(try await req.mediations.document(entry.loaded, viewer: entry.viewer), for: req)
    }

    @Sendable func requestPaper(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        return try await DocumentUpload.send(try await req.mediations.requestPaper(entry.loaded, viewer: entry.viewer), for: req)
    }

    struct AgentForm: Content { var mandate: String? }

    @Sendable func nameAgent(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        let raw = try req.content.decode(AgentForm.self).mandate?.trimmingCharacters(in: .whitespaces) ?? ""
        guard raw.isEmpty || UUID(uuidString: raw) != nil else { throw AppError(status: .unprocessableEntity, key: "mandate.error.does_not_cover") }
        try await req.mediations.nameAgent(entry.loaded, mandate: UUID(uuidString: raw))
        return req.redirect(to: SiteURL.mediation(id: entry.loaded.id.uuidString.lowercased()).path + "#agent", redirectType: .normal)
    }
}
