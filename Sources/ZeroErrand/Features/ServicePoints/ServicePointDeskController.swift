import Fluent
import Vapor
import ZeroErrandCore

/// An assistant's start page: their service point, its local time and the offices at home.
struct ServicePointDeskController: RouteCollection {
    struct DeskPage: Encodable {
        let name: String
        let city: String
        let country: String
        let address: String
        let contactEmail: String
        let contactPhone: String
        let localTime: String
        let homeTime: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(Require(.servicePointDesk)).get(SiteURL.servicePointDesk.route, use: desk)
    }

    @Sendable func desk(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let point = try await account.$servicePoint.get(on: req.db) else { throw AppError.notFound }
        let now = req.now
        let page = DeskPage(name: point.name(req.locale), city: point.city(req.locale), country: point.country, address: point.address,
                            contactEmail: point.contactEmail, contactPhone: point.contactPhone,
                            localTime: TimeZone(identifier: point.timeZone).map { TimeDisplay.format(now, in: $0) } ?? "",
                            homeTime: TimeDisplay.format(now, in: TimeZone(identifier: "Asia/Shanghai")!))
        return try await req.page("service-points/desk", page, title: "desk.title")
    }
}
