import Fluent
import Vapor
import ZeroErrandCore

/// The citizen's side of appointments: free slots in both zones, booking, moving, cancelling.
struct VideoBookingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let citizen = routes.grouped(Require(.manageOwnAccount))
        citizen.get(SiteURL.caseVideo(id: ":id").route, use: show)
        citizen.post(SiteURL.caseVideo(id: ":id").route, use: book)
        citizen.post(SiteURL.caseVideoCancel(id: ":id", session: ":session").route, use: cancel)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        let page = try await VideoBookingPage.make(record, req: req)
        return try await req.page("video/booking", page, title: "video.booking.title")
    }

    struct BookingForm: Content {
        var start: String?
        var replacing: String?
        /// A service point's code, to join from its video room; empty for one's own device.
        var point: String?
    }

    @Sendable func book(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        let form = try req.content.decode(BookingForm.self)
        guard let seconds = form.start.flatMap(Int.init) else {
            throw AppError(status: .unprocessableEntity, key: "video.booking.choose_slot")
        }
        let replacing = try form.replacing.nonEmpty.map { text -> UUID in
            guard let id = UUID(uuidString: text) else { throw AppError.badRequest }
            return id
        }
        do {
            var point: ServicePoint?
            if let code = form.point.nonEmpty {
                point = try await ServicePoint.query(on: req.db).filter(\.$code == code).first()
                guard point?.offerSet.contains(.videoRoom) == true else { throw AppError(status: .unprocessableEntity, key: "video.booking.point_unknown") }
            }
            _ = try await VideoBooking.book(record, start: Date(timeIntervalSince1970: TimeInterval(seconds)), replacing: replacing,
                                            point: point, req: req)
        } catch let refusal as AppError where [.conflict, .unprocessableEntity].contains(refusal.status) {
            // The page again with the reason and what was chosen, not a dead end.
            let page = try await VideoBookingPage.make(record, req: req, problem: req.t(refusal.key, refusal.arguments),
                                                       chosenStart: String(seconds), chosenPoint: form.point)
            return try await req.page("video/booking", page, title: "video.booking.title", status: refusal.status)
        }
        return req.redirect(to: .caseVideo(id: try record.requireID().uuidString.lowercased()))
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        guard let sessionID = req.parameters.get("session", as: UUID.self),
              let session = try await VideoSession.query(on: req.db).filter(\.$id == sessionID)
                .filter(\.$caseRecord.$id == record.requireID()).first() else { throw AppError.notFound }
        try await VideoBooking.cancel(session, case: record, byOffice: false, req: req)
        return req.redirect(to: .caseVideo(id: try record.requireID().uuidString.lowercased()))
    }
}
