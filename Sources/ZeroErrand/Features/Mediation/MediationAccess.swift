import Fluent
import Vapor
import ZeroErrandCore

/// Finds the mediation named by `:id` and asks `RecordAccess` how this person stands to it. Anyone
/// with no standing gets the same 404 as for a mediation that does not exist. A party opening the
/// papers for the first time (signed in with the address they were served at) is served here.
enum MediationAccess {
    struct Entry: Sendable {
        let loaded: MediationRecord
        let viewer: RecordAccess.MediationViewer
    }

    /// `openingPapers`: the request reads the papers (the page), and so may be the service; a form
    /// post never is.
    static func entry(_ req: Request, openingPapers: Bool = false) async throws -> Entry {
        let actor = try req.requireAccount().actor
        guard let id = req.parameters.get("id", as: UUID.self), var loaded = try await MediationRecord.load(id, on: req.db, today: req.mediations.today)
        else { throw AppError.notFound }
        if openingPapers, RecordAccess.mediationViewer(actor, loaded.accessFacts) == nil, let served = try await req.mediations.openPapers(loaded) {
            loaded = served
        }
        guard let viewer = RecordAccess.mediationViewer(actor, loaded.accessFacts) else { throw AppError.notFound }
        return Entry(loaded: loaded, viewer: viewer)
    }
}
