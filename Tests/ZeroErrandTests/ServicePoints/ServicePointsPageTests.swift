import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// The public list of service points: hours on each point's own clock, what each offers, the
/// nearest first for a typed city, and the matter pages naming the points that help with them.
@Suite("Service points for visitors")
struct ServicePointsPageTests {
    func t(_ app: Application, _ key: String, _ arguments: [String: String] = [:], _ locale: AppLocale = .en) -> String {
        app.dependencies.translator.text(key, locale, arguments).htmlEscaped()
    }

    /// The point names in the order the page shows them.
    func order(_ body: String, _ points: [ServicePoint]) -> [String] {
        points.compactMap { point in body.range(of: point.nameEn.htmlEscaped()).map { (point.code, $0.lowerBound) } }
            .sorted { $0.1 < $1.1 }.map(\.0)
    }

    @Test("Every point is listed with its hours, whether it is open now on its own clock, what it offers and how to reach it")
    func listsPointsWithHours() async throws {
        try await withTestApp { (app, clock) async throws in
            let points = try await ServicePoint.query(on: app.db).all()
            // Monday 30 November 2026, 00:53 UTC: 01:53 in Madrid, closed until 09:30.
            let night = try await TestBrowser(app).get("/service-points")
            #expect(night.status == .ok)
            #expect(order(night.body, points).count == 16)
            #expect(night.body.contains(t(app, "points.closed_now_today", ["opens": "09:30", "time": "01:53", "zone": "Europe/Madrid"])))
            // Sunday evening in New York: it opens on Monday.
            #expect(night.body.contains(t(app, "points.closed_now", ["day": "Monday", "opens": "09:00", "time": "19:53", "zone": "America/New_York"])))
            #expect(night.body.contains(t(app, "points.closed_days", ["days": "Sunday"])))
            #expect(night.body.contains("Monday–Friday 09:30–17:30"))
            #expect(night.body.contains("Via Paolo Sarpi 27"))
            #expect(night.body.contains("mailto:madrid@points.zeroerrand.example"))
            #expect(night.body.contains(t(app, "points.offer.id_photo")))
            // 08:53 UTC: 09:53 in Madrid, open; New York (03:53) is still closed.
            clock.advance(by: 8 * 3600)
            let morning = try await TestBrowser(app).get("/service-points")
            #expect(morning.body.contains(t(app, "points.open_now", ["until": "17:30", "time": "09:53", "zone": "Europe/Madrid"])))
            #expect(morning.body.contains(t(app, "points.closed_now_today", ["opens": "09:00", "time": "03:53", "zone": "America/New_York"])))
            // In Chinese too, with the point's Chinese name and a Chinese weekday.
            let chinese = TestBrowser(app)
            chinese.acceptLanguage = "zh-Hans"
            let zh = try await chinese.get("/service-points")
            #expect(zh.body.contains("马德里海外服务点"))
            #expect(zh.body.contains(t(app, "points.open_now", ["until": "17:30", "time": "09:53", "zone": "Europe/Madrid"], .zhHans)))
            // The page may ask for the location (ordered in the browser); other pages may not.
            #expect(morning.headers.first(name: "Permissions-Policy")?.contains("geolocation=(self)") == true)
            #expect(try await TestBrowser(app).get("/matters").headers.first(name: "Permissions-Policy")?.contains("geolocation=()") == true)
        }
    }

    @Test("A typed city puts the nearest point first, in any of its names; an unknown city says so and lists them all")
    func nearestFirst() async throws {
        try await withTestApp { (app, _) async throws in
            let points = try await ServicePoint.query(on: app.db).all()
            let browser = TestBrowser(app)
            let valencia = try await browser.get("/service-points?city=valencia")
            #expect(order(valencia.body, points).prefix(2) == ["es-madrid", "es-barcelona"])
            #expect(valencia.body.contains(t(app, "points.nearest_to", ["city": "Valencia"])))
            #expect(valencia.body.contains(t(app, "points.distance", ["km": "301"])))
            let milano = try await browser.get("/service-points?city=%20Milano%20")
            #expect(order(milano.body, points).prefix(2).sorted() == ["it-milan-1", "it-milan-2"])
            let chinese = try await browser.get("/service-points?city=%E7%BA%BD%E7%BA%A6")   // 纽约
            #expect(order(chinese.body, points).first == "us-new-york")
            let saoPaulo = try await browser.get("/service-points?city=SAO%20PAULO")
            #expect(order(saoPaulo.body, points).first == "br-sao-paulo")

            let unknown = try await browser.get("/service-points?city=%3Cb%3EAtlantis")
            #expect(unknown.status == .ok)
            #expect(unknown.body.contains(t(app, "points.city_unknown", ["city": "<b>Atlantis"])))
            #expect(!unknown.body.contains("<b>Atlantis"))
            #expect(order(unknown.body, points).count == 16)
        }
    }

    @Test("A matter done at a point names only the points that help with applications, and links to the list")
    func matterPageNamesHelpingPoints() async throws {
        try await withTestApp { (app, _) async throws in
            let budapest = try #require(try await ServicePoint.query(on: app.db).filter(\.$code == "hu-budapest").first())
            budapest.offers = [PointOffer.videoRoom.rawValue]
            try await budapest.update(on: app.db)
            let page = try await TestBrowser(app).get("/matters/GA-PSB-001")
            #expect(page.body.contains("Madrid Overseas Service Point"))
            #expect(!page.body.contains(budapest.nameEn.htmlEscaped()))
            #expect(page.body.contains("href=\"/service-points\""))
        }
    }

    @Test("Hours, places and offers come from the catalogue file once; after that an administrator's edit stands")
    func seededOnceThenEdited() async throws {
        try await withTestApp { (app, _) async throws in
            let madrid = try #require(try await ServicePoint.query(on: app.db).filter(\.$code == "es-madrid").first())
            #expect(madrid.hours == "mon-fri 09:30-17:30; sat 10:00-14:00")
            #expect(madrid.offerSet == Set(PointOffer.allCases))
            #expect(madrid.place != nil)
            madrid.hours = "mon-fri 10:00-16:00"
            try await madrid.update(on: app.db)
            let files = try CatalogueFiles.load(from: TestEnvironment.packageRoot + "Resources/Catalogue/")
            _ = try await app.audited(.system) { db, audit in try await CatalogueSeeder.apply(files, on: db, audit: audit) }
            #expect(try await ServicePoint.find(madrid.id, on: app.db)?.hours == "mon-fri 10:00-16:00")
        }
    }
}
