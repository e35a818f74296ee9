import Fluent
import Vapor
import ZeroErrandCore

/// Finds the petition named by `:id` and asks `RecordAccess` how this person stands to it. Anyone
/// with no standing gets the same 404 as for a petition that does not exist.
enum PetitionAccess {
    struct Entry: Sendable {
        let petition: Petition
        let viewer: RecordAccess.PetitionViewer
        let answeredBy: Set<UUID>
        var id: UUID { petition.id! }
        var path: String { SiteURL.petition(id: id.uuidString.lowercased()).path }
    }

    static func entry(_ req: Request) async throws -> Entry {
        let actor = try req.requireAccount().actor
        guard let id = req.parameters.get("id", as: UUID.self), let petition = try await Petition.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let answeredBy = try await PetitionService.answeringOffices(id, on: req.db)
        let parties = RecordAccess.PetitionParties(petitioner: petition.$petitioner.id, holder: petition.$holder.id,
                                                   registrar: petition.$registrar.id, answeredBy: answeredBy)
        guard let viewer = RecordAccess.petitionViewer(actor, parties) else { throw AppError.notFound }
        return Entry(petition: petition, viewer: viewer, answeredBy: answeredBy)
    }
}
