import Fluent
import SQLKit
import Vapor
import ZeroErrandCore

/// The home page, the language switch and the health check.
struct HomeController: RouteCollection {
    struct HomePage: Encodable {
        struct Area: Encodable {
            let path: String
            let name: String
            let summary: String
            let count: Int
            /// "service" or "services", as the count needs.
            let unit: String
        }
        let areas: [Area]
        let matterCount: Int
        let servicePointCount: Int
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home.route, use: home)
        routes.post(SiteURL.language.route, use: switchLanguage)
        routes.get(SiteURL.healthz.route, use: health)
        // The bare route benchmarks compare against: the whole middleware stack, no database.
        routes.get(SiteURL.ping.route) { _ in "ok" }
    }

    @Sendable func home(req: Request) async throws -> Response {
        var areas: [HomePage.Area] = []
        for area in MatterArea.allCases {
            let count = try await Matter.query(on: req.db).filter(\.$area == area).count()
            areas.append(.init(path: SiteURL.matters.path + "?area=" + area.rawValue, name: req.t("area.\(area.rawValue)"),
                               summary: req.t("area.\(area.rawValue).summary"), count: count,
                               unit: req.t("home.matters_unit", ["count": String(count)])))
        }
        let page = HomePage(areas: areas, matterCount: areas.reduce(0) { $0 + $1.count },
                            servicePointCount: try await ServicePoint.query(on: req.db).count())
        return try await req.page("home", page, title: "home.title")
    }

    struct LanguageForm: Content {
        var lang: String?
        var back: String?
    }

    /// Remembered in a cookie for visitors, and in the account for people signed in.
    @Sendable func switchLanguage(req: Request) async throws -> Response {
        let form = try req.content.decode(LanguageForm.self)
        guard let locale = AppLocale(tag: form.lang ?? "") else { throw AppError.badRequest }
        if let account = req.currentAccount, account.locale != locale.rawValue {
            try await req.audited { db, audit in
                account.locale = locale.rawValue
                try await account.update(on: db)
                try await audit.record("account.profile_updated", "account", account.id!.uuidString.lowercased(), ["locale": locale.rawValue])
            }
        }
        let response = req.redirect(to: req.safeNextPath(form.back) ?? SiteURL.home.path, redirectType: .normal)
        response.cookies[req.cookieName("ze_lang")] = req.cookie(locale.rawValue, maxAge: 365 * 86400)
        return response
    }

    /// 200 when the database answers, 503 when it does not.
    @Sendable func health(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
            try await sql.raw("SELECT 1").run()
            return Response(status: .ok, body: .init(string: #"{"status":"ok","database":"reachable"}"#))
                .with(contentType: .json)
        } catch {
            req.logger.warning("health check: database unreachable")
            return Response(status: .serviceUnavailable, body: .init(string: #"{"status":"unavailable","database":"unreachable"}"#))
                .with(contentType: .json)
        }
    }
}

extension Response {
    func with(contentType: HTTPMediaType) -> Response {
        headers.contentType = contentType
        return self
    }
}
