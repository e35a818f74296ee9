import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ZeroErrand

@Suite("Response headers, cookies and the Origin check")
struct SecurityHeaderTests {
    func response(_ app: Application, _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [],
                  body: String? = nil) async throws -> (HTTPStatus, HTTPHeaders) {
        var result: (HTTPStatus, HTTPHeaders)?
        try await app.testing().test(method, path, beforeRequest: { request in
            for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
            if let body {
                request.headers.contentType = .urlEncodedForm
                request.body = ByteBuffer(string: body)
            }
        }, afterResponse: { response in result = (response.status, response.headers) })
        return result!
    }

    @Test("Camera and microphone are allowed on the video room only")
    func permissionsPolicy() async throws {
        try await withTestApp { (app, _) async throws in
            for path in ["/", "/matters", "/sign-in", "/video/not-a-session", "/video/\(UUID())/signal"] {
                let (_, headers) = try await response(app, .GET, path)
                let policy = headers.first(name: "Permissions-Policy") ?? ""
                #expect(policy.contains("camera=()") && policy.contains("microphone=()"), "\(path)")
            }
            let (status, headers) = try await response(app, .GET, "/video/\(UUID())")
            #expect(status == .seeOther)
            #expect(headers.first(name: "Permissions-Policy")?.contains("camera=(self), microphone=(self)") == true)
            #expect(headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test("A form posted from another port, scheme or host of the same machine is refused")
    func originComparesSchemeHostAndPort() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            try await browser.get("/")
            let csrf = try #require(browser.cookies[CSRFMiddleware.cookieName])
            let form = "lang=en&back=/&_csrf=\(csrf)"
            let cookie = ("Cookie", "\(CSRFMiddleware.cookieName)=\(csrf)")
            for origin in ["http://127.0.0.1:9999", "https://127.0.0.1:8080", "http://evil.example:8080", "http://127.0.0.1"] {
                let (status, _) = try await response(app, .POST, "/language", headers: [("Host", "127.0.0.1:8080"), ("Origin", origin), cookie],
                                                     body: form)
                #expect(status == .forbidden, "\(origin)")
            }
            let (same, _) = try await response(app, .POST, "/language", headers: [("Host", "127.0.0.1:8080"), ("Origin", "http://127.0.0.1:8080"), cookie],
                                               body: form)
            #expect(same == .seeOther)
            let (defaultPort, _) = try await response(app, .POST, "/language", headers: [("Host", "127.0.0.1"), ("Origin", "http://127.0.0.1:80"), cookie],
                                                      body: form)
            #expect(defaultPort == .seeOther)
        }
    }

    @Test("Over HTTPS every cookie is __Host- prefixed, Secure, HttpOnly and for the whole site")
    func hostPrefixedCookies() async throws {
        try await withTestApp(adjusting: { $0.cookieSecure = true; $0.publicURL = "https://zeroerrand.example" }) { (app, _) async throws in
            let (_, headers) = try await response(app, .GET, "/")
            let set = headers[.setCookie].joined(separator: "\n")
            #expect(set.contains("__Host-ze_csrf="))
            #expect(set.contains("Secure") && set.contains("HttpOnly") && set.contains("Path=/") && !set.contains("Domain"))
            #expect(headers.first(name: "Strict-Transport-Security") != nil)
            // A cookie without the prefix (planted by a sibling domain or over HTTP) is not read.
            let (status, _) = try await response(app, .POST, "/language", headers: [("Host", "zeroerrand.example"),
                ("Origin", "https://zeroerrand.example"), ("Cookie", "ze_csrf=\(String(repeating: "a", count: 43))")],
                body: "lang=en&_csrf=\(String(repeating: "a", count: 43))")
            #expect(status == .forbidden)
        }
    }
}

@Suite("Odd requests")
struct OddRequestTests {
    @Test("A stray Upgrade header on a plain route is answered, and the connection, once silent, is closed rather than held")
    func strayUpgrade() async throws {
        // Long enough that even a very busy machine answers /ping first; short enough for a test.
        try await withTestApp(adjusting: { $0.idleTimeout = 10 }) { (app, _) async throws in
            let port = try await app.startServer()
            let (received, closed) = try await offTheCooperativePool { () throws -> ([UInt8], Bool) in
                let descriptor = try rawConnection(port: port, timeoutSeconds: 60)
                defer { close(descriptor) }
                sendRaw(descriptor, "GET /ping HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                // Read until the server closes (recv 0) or the 60 s receive timeout gives up (-1).
                while true {
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    if count <= 0 { return (received, count == 0) }
                    received += buffer.prefix(count)
                }
            }
            #expect(closed, "the connection was left open")
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }
}

extension OddRequestTests {
    @Test("A path that exists under other methods answers 405 with Allow; a path that does not exist, 404")
    func methodNotAllowed() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            browser.accept = "application/json"
            let trace = try await browser.send(.TRACE, "/api/v1/sessions")
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers.first(name: .allow) == "DELETE, POST")
            #expect(trace.body.contains("error.method_not_allowed"))
            let patch = try await browser.send(.PATCH, "/api/v1/matters")
            #expect(patch.status == .methodNotAllowed && patch.headers.first(name: .allow) == "GET, HEAD")
            let caseDelete = try await browser.send(.DELETE, "/api/v1/cases/\(UUID())")
            #expect(caseDelete.status == .methodNotAllowed && caseDelete.headers.first(name: .allow) == "GET, HEAD")
            #expect(try await browser.send(.PATCH, "/api/v1/nothing-here").status == .notFound)
        }
    }
}
