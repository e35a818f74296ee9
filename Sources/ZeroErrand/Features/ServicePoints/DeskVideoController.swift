import Fluent
import Vapor
import ZeroErrandCore

/// Video sessions a citizen takes in a service point's room: the desk lists the point's coming
/// sessions, and an assistant opens the call on the point's computer, joining it as a named
/// participant (the office sees who assisted).
struct DeskVideoController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let desk = routes.grouped(Require(.servicePointDesk))
        desk.post(SiteURL.deskVideoOpen(session: ":session").route, use: open)
    }

    struct Line: Encodable {
        let when: String
        let visitor: String
        let office: String
        let openPath: String
    }

    /// The point's booked sessions from an hour ago on, soonest first.
    static func coming(_ req: Request, at point: ServicePoint) async throws -> [Line] {
        let sessions = try await VideoSession.query(on: req.db).filter(\.$point.$id == point.requireID()).filter(\.$status == .booked)
            .filter(\.$endsAt > req.now.addingTimeInterval(-3600)).with(\.$department).with(\.$caseRecord) { $0.with(\.$applicant) }
            .sort(\.$startsAt).limit(50).all()
        return sessions.map { session in
            Line(when: TimeDisplay.format(session.startsAt, in: point.zone), visitor: session.caseRecord.applicant.displayName,
                 office: session.department.name(req.locale), openPath: SiteURL.deskVideoOpen(session: session.id!.uuidString.lowercased()).path)
        }
    }

    /// Joins the assistant to the session's room (once; audited) and takes them there.
    @Sendable func open(req: Request) async throws -> Response {
        let point = try await req.pointDesk.point()
        let assistantID = try req.requireAccount().requireID()
        guard let id = req.parameters.get("session", as: UUID.self),
              let session = try await VideoSession.query(on: req.db).filter(\.$id == id).filter(\.$point.$id == point.requireID()).first()
        else { throw AppError.notFound }
        guard session.status == .booked else { throw AppError(status: .conflict, key: "video.refused.not_booked") }
        let joined = try await VideoParticipant.query(on: req.db).filter(\.$session.$id == id).filter(\.$account.$id == assistantID).first()
        if joined == nil {
            try await req.audited { db, audit in
                try await VideoParticipant(sessionID: id, accountID: assistantID, role: .other).create(on: db)
                try await audit.record("video.assistant_joined", "video_session", id.uuidString.lowercased(), ["point": point.code])
            }
        }
        return req.redirect(to: .videoRoom(id: id.uuidString.lowercased()))
    }
}
