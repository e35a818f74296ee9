import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand

@Suite("Web shell: language, errors, headers, health, OpenAPI")
struct WebShellTests {
    @Test("The language follows the browser and can be switched; <html lang> follows")
    func language() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app, language: "en-US,en;q=0.9")
            #expect(try await browser.get("/").body.contains("<html lang=\"en\""))
            browser.acceptLanguage = "zh-TW,zh;q=0.9"
            #expect(try await browser.get("/").body.contains("<html lang=\"zh-Hans\""))
            let switched = try await browser.post("/language", ["lang": "en", "back": "/matters"])
            #expect(switched.location == "/matters")
            #expect(try await browser.get("/matters").body.contains("<html lang=\"en\""))
            #expect(try await browser.post("/language", ["lang": "en", "back": "https://evil.example/"]).location == "/")
            #expect(try await browser.post("/language", ["lang": "klingon"]).status == .badRequest)
        }
    }

    @Test("Errors are an HTML page or JSON by the Accept header, translated, without internals")
    func errors() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app, language: "zh-CN")
            let html = try await browser.get("/no/such/page")
            #expect(html.status == .notFound)
            #expect(html.headers.contentType?.subType == "html")
            #expect(html.body.contains(app.dependencies.translator.text("error.not_found", .zhHans)))
            browser.accept = "application/json"
            let json = try await browser.get("/no/such/page")
            struct Body: Decodable { struct Detail: Decodable { let status: Int; let message: String }; let error: Detail }
            let body = try JSONDecoder().decode(Body.self, from: Data(json.body.utf8))
            #expect(body.error.status == 404)
            #expect(body.error.message == app.dependencies.translator.text("error.not_found", .zhHans))
            for page in [html, json] {
                #expect(!page.body.contains("Fluent") && !page.body.contains("SELECT") && !page.body.contains(".swift"))
            }
        }
    }

    @Test("Every page carries the security headers and loads nothing from another site")
    func headersAndAssets() async throws {
        try await withTestApp { (app, _) async throws in
            let page = try await TestBrowser(app).get("/")
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
            let external = page.body.matches(of: /(?:src|href)="(https?:)?\/\//)
            #expect(external.isEmpty)
            #expect(try await TestBrowser(app).get("/css/site.css").status == .ok)
            #expect(try await TestBrowser(app).get("/js/site.js").status == .ok)
        }
    }

    @Test("GET /healthz: 200 with the database reachable, 503 when it is not")
    func health() async throws {
        try await withTestApp { (app, _) async throws in
            let ok = try await TestBrowser(app).get("/healthz")
            #expect(ok.status == .ok)
            var broken = try SQLPostgresConfiguration(url: "postgres://nobody@127.0.0.1:1/none")
            broken.coreConfiguration.options.connectTimeout = .milliseconds(200)
            app.databases.use(.postgres(configuration: broken, connectionPoolTimeout: .milliseconds(500)), as: .init(string: "unreachable"), isDefault: true)
            let down = try await TestBrowser(app).get("/healthz")
            #expect(down.status == .serviceUnavailable)
        }
    }

    @Test("The OpenAPI document describes every /api/v1 route the app registers")
    func openAPI() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            browser.accept = "application/json"
            let page = try await browser.get("/openapi.json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let registered = app.routes.all.filter { $0.path.first?.description == "api" }
            #expect(!registered.isEmpty)
            for route in registered {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                #expect(paths[path]?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in openapi.json")
            }
        }
    }
}

import FluentPostgresDriver
