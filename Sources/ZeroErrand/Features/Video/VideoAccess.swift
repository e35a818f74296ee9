import Fluent
import Vapor
import ZeroErrandCore

/// Who may enter a session's room: only the people invited to it. Anyone else, including other
/// staff of the office, gets the same 404 as for a session that does not exist.
enum VideoAccess {
    struct Entry: Sendable {
        let session: VideoSession
        let participant: VideoParticipant
        let record: Case
    }

    static func participant(_ req: Request, parameter: String = "id") async throws -> Entry {
        let account = try req.requireAccount()
        guard let id = req.parameters.get(parameter, as: UUID.self),
              let participant = try await VideoParticipant.query(on: req.db).filter(\.$session.$id == id)
                .filter(\.$account.$id == account.requireID()).with(\.$session).first(),
              let record = try await Case.query(on: req.db).filter(\.$id == participant.session.$caseRecord.id)
                .withCatalogueMatter(req.catalogue).with(\.$department).with(\.$applicant).first() else { throw AppError.notFound }
        guard RecordAccess.mayEnterRoom(account.actor, as: participant.role.policyRole, sessionDepartment: participant.session.$department.id,
                                        applicant: record.$applicant.id, sessionPoint: participant.session.$point.id) else { throw AppError.notFound }
        return Entry(session: participant.session, participant: participant, record: record)
    }

    /// An invited staff member: the one who may record and end the session.
    static func staff(_ req: Request) async throws -> Entry {
        let entry = try await participant(req)
        guard entry.participant.role == .staff else { throw AppError.notFound }
        return entry
    }

    /// A session of the signed-in staff member's office (invited or not), for the office pages and
    /// its recordings, which are the office's evidence.
    static func officeSession(_ req: Request) async throws -> (VideoSession, Case) {
        let actor = try req.requireAccount().actor
        guard let id = req.parameters.get("id", as: UUID.self),
              let session = try await VideoSession.find(id, on: req.db),
              RecordAccess.mayWorkSession(actor, sessionDepartment: session.$department.id),
              let record = try await Case.query(on: req.db).filter(\.$id == session.$caseRecord.id)
                .withCatalogueMatter(req.catalogue).with(\.$department).with(\.$applicant).first() else { throw AppError.notFound }
        return (session, record)
    }
}

/// Who has agreed to the recording of a session so far.
struct ConsentState: Sendable {
    let agreed: [String]
    let pending: [String]
    let accounts: [UUID]

    var complete: Bool { pending.isEmpty && !agreed.isEmpty }

    func dto(mine: Bool? = nil) -> ConsentDTO { ConsentDTO(agreed: agreed, pending: pending, complete: complete, mine: mine) }

    static func load(session: UUID, on db: any Database) async throws -> ConsentState {
        let participants = try await VideoParticipant.query(on: db).filter(\.$session.$id == session).with(\.$account).all()
        // Officials unnamed (""): the browser shows "Official" in the reader's language.
        let name = { (participant: VideoParticipant) in participant.role == .staff ? "" : participant.account.displayName }
        return ConsentState(agreed: participants.filter { $0.consentedAt != nil }.map(name).sorted(),
                            pending: participants.filter { $0.consentedAt == nil }.map(name).sorted(),
                            accounts: participants.filter { $0.consentedAt != nil }.map(\.$account.id))
    }
}
