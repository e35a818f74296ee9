import Fluent
import Vapor
import ZeroErrandCore

/// The public list of overseas service points: nearest first when the visitor types their city
/// (here) or lets the browser use their location (the page's script sorts in the browser, so the
/// location never reaches the server).
struct ServicePointsController: RouteCollection {
    struct ListPage: Encodable {
        let city: String
        /// "Nearest to Madrid first", or why the typed city was not found.
        let cityNote: String?
        let cityFound: Bool
        let points: [ServicePointCard]
        /// The distance text with "{km}" left for the page's script to fill in.
        let distancePattern: String
    }

    struct ListQuery: Content {
        var city: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.servicePoints.route, use: list)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let typed = String((try? req.query.decode(ListQuery.self))?.city?.formText.prefix(100) ?? "")
        let city = req.dependencies.cities.city(named: typed)
        var points = try await ServicePoint.query(on: req.db).sort(\.$country).sort(\.$code).all()
        if let origin = city?.place {
            points.sort { ($0.place?.kilometres(to: origin) ?? .infinity) < ($1.place?.kilometres(to: origin) ?? .infinity) }
        }
        let note: String? = if let city { req.t("points.nearest_to", ["city": city.name(req.locale)]) }
            else if !typed.isEmpty { req.t("points.city_unknown", ["city": typed]) } else { nil }
        let page = ListPage(city: typed, cityNote: note, cityFound: city != nil,
                            points: points.map { req.servicePointCard($0, from: city?.place) },
                            distancePattern: req.t("points.distance", ["km": "{km}"]))
        return try await req.page("service-points/list", page, title: "points.public_title")
    }
}
