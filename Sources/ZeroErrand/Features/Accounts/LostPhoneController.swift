import Fluent
import Vapor

/// "Lost your phone?": how a recovery code signs you in, and whom to contact to have the account
/// restored without one. Open to everyone: the person reading it cannot sign in.
struct LostPhoneController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.lostPhone.route, use: show)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let points = try await ServicePoint.query(on: req.db).sort(\.$country).sort(\.$code).all()
        let page = LostPhonePage(points: points.map { point in
            LostPhonePage.Point(name: point.name(req.locale), place: "\(point.city(req.locale)), \(point.countryName(req.locale))",
                                address: point.address, email: point.contactEmail, phone: point.contactPhone,
                                phoneLink: point.contactPhone.filter { $0.isNumber || $0 == "+" })
        })
        return try await req.page("accounts/lost-phone", page, title: "lost_phone.title")
    }
}
