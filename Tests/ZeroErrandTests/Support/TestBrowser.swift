import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import ZeroErrand

/// What a person's browser does, minus the rendering: keeps cookies, sends the CSRF token with
/// forms like the pages do, and lets a test follow a redirect.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    var acceptLanguage: String
    var accept = "text/html"
    /// Sent as X-Forwarded-For, as a trusted reverse proxy would (see `AppConfig.trustedProxies`).
    var clientAddress: String?
    /// An API token, sent as `Authorization: Bearer` (the API never reads the cookie).
    var bearer: String?

    init(_ app: Application, language: String = "en") {
        self.app = app
        self.acceptLanguage = language
    }

    struct Page {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let body: String
        let bytes: [UInt8]
        var location: String? { headers.first(name: .location) }
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// A GET with headers of its own (a `Range`, say).
    func get(_ path: String, headers: HTTPHeaders) async throws -> Page {
        try await send(.GET, path, rawBody: nil, extraHeaders: headers)
    }

    /// Posts a form the way the site's pages do: URL-encoded with the CSRF field added.
    @discardableResult
    func post(_ path: String, _ fields: [String: String] = [:], csrf: Bool = true) async throws -> Page {
        if csrf && cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        var all = fields
        if csrf { all[CSRFMiddleware.fieldName] = cookies[CSRFMiddleware.cookieName] }
        let encoded = all.map { "\(Self.escape($0.key))=\(Self.escape($0.value))" }.joined(separator: "&")
        return try await send(.POST, path, body: encoded)
    }

    /// Fields with repeated names (`roles[]=a&roles[]=b`).
    @discardableResult
    func post(_ path: String, pairs: [(String, String)]) async throws -> Page {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        let all = pairs + [(CSRFMiddleware.fieldName, cookies[CSRFMiddleware.cookieName] ?? "")]
        return try await send(.POST, path, body: all.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&"))
    }

    /// An upload as the page's script sends it: the file as the body, the CSRF token in a header.
    @discardableResult
    func upload(_ path: String, bytes: [UInt8], fileName: String, csrf: Bool = true) async throws -> Page {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        var headers = HTTPHeaders()
        headers.add(name: "X-File-Name", value: fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        if csrf { headers.add(name: CSRFMiddleware.headerName, value: cookies[CSRFMiddleware.cookieName] ?? "") }
        headers.contentType = .binary
        return try await send(.PUT, path, rawBody: ByteBuffer(bytes: bytes), extraHeaders: headers)
    }

    /// A plain HTML form with one file input named `file`, as a browser posts it without script:
    /// multipart/form-data with the CSRF token as a field.
    @discardableResult
    func multipart(_ path: String, file: [UInt8], fileName: String = "certificate.pdf", csrf: String) async throws -> Page {
        let boundary = "----zeroerrand-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(CSRFMiddleware.fieldName)\"\r\n\r\n\(csrf)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n")
        body.writeString("Content-Type: application/pdf\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
        return try await send(.POST, path, rawBody: body, extraHeaders: headers)
    }

    /// A form with fields and file inputs, posted multipart as a browser does without script.
    /// A file with an empty name and no bytes is what a browser sends for an input left empty.
    @discardableResult
    func multipartForm(_ path: String, fields: [(String, String)], files: [(field: String, name: String, bytes: [UInt8])]) async throws -> Page {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        let boundary = "----zeroerrand-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields + [(CSRFMiddleware.fieldName, cookies[CSRFMiddleware.cookieName] ?? "")] {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n")
            body.writeString("Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
        return try await send(.POST, path, rawBody: body, extraHeaders: headers)
    }

    /// A PDF as the API takes it: the bytes as the body, declared application/pdf.
    @discardableResult
    func pdf(_ path: String, _ bytes: [UInt8]) async throws -> Page {
        var headers = HTTPHeaders()
        headers.contentType = .pdf
        headers.replaceOrAdd(name: .accept, value: "application/json")
        return try await send(.POST, path, rawBody: ByteBuffer(bytes: bytes), extraHeaders: headers)
    }

    /// Any method, no body, with the CSRF header a page's script would send (for walking routes).
    func send(_ method: HTTPMethod, _ path: String) async throws -> Page {
        if method != .GET && cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        var headers = HTTPHeaders()
        if method != .GET { headers.add(name: CSRFMiddleware.headerName, value: cookies[CSRFMiddleware.cookieName] ?? "") }
        return try await send(method, path, rawBody: nil, extraHeaders: headers)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        var headers = HTTPHeaders()
        if body != nil { headers.contentType = .urlEncodedForm }
        return try await send(method, path, rawBody: body.map { ByteBuffer(string: $0) }, extraHeaders: headers)
    }

    private func send(_ method: HTTPMethod, _ path: String, rawBody: ByteBuffer?, extraHeaders: HTTPHeaders) async throws -> Page {
        var result: Page?
        try await app.testing().test(method, path, beforeRequest: { request in
            request.headers.replaceOrAdd(name: .acceptLanguage, value: acceptLanguage)
            request.headers.replaceOrAdd(name: .accept, value: accept)
            if !cookies.isEmpty {
                request.headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            }
            for (name, value) in extraHeaders { request.headers.replaceOrAdd(name: name, value: value) }
            if let clientAddress { request.headers.replaceOrAdd(name: .xForwardedFor, value: clientAddress) }
            if let bearer { request.headers.bearerAuthorization = BearerAuthorization(token: bearer) }
            if let rawBody { request.body = rawBody }
        }, afterResponse: { response in
            for header in response.headers[.setCookie] {
                guard let pair = header.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
                let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
                let value = String(pair[pair.index(after: equals)...])
                if value.isEmpty || header.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
            result = Page(status: response.status, headers: response.headers, body: response.body.string,
                          bytes: Array(response.body.readableBytesView))
        })
        return result!
    }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    /// The Cookie header this browser sends, for clients outside `app.testing()` (WebSockets).
    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    /// A JSON request as a page's script sends it: JSON body, CSRF token in a header.
    @discardableResult
    func json(_ method: HTTPMethod, _ path: String, _ body: [String: Any] = [:]) async throws -> Page {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        var headers = HTTPHeaders()
        headers.add(name: CSRFMiddleware.headerName, value: cookies[CSRFMiddleware.cookieName] ?? "")
        headers.contentType = .json
        headers.replaceOrAdd(name: .accept, value: "application/json")
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await send(method, path, rawBody: method == .GET ? nil : ByteBuffer(data: data), extraHeaders: headers)
    }

    /// Raw bytes PUT with the CSRF header, as the recorder uploads a chunk.
    @discardableResult
    func putBytes(_ path: String, _ bytes: [UInt8]) async throws -> Page {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/") }
        var headers = HTTPHeaders()
        headers.add(name: CSRFMiddleware.headerName, value: cookies[CSRFMiddleware.cookieName] ?? "")
        headers.contentType = .binary
        headers.replaceOrAdd(name: .accept, value: "application/json")
        return try await send(.PUT, path, rawBody: ByteBuffer(bytes: bytes), extraHeaders: headers)
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Accounts made directly in the database, for tests that are not about registration.
enum TestAccounts {
    static let password = "correct horse battery staple 长城"

    @discardableResult
    static func make(_ app: Application, email: String, kind: AccountKind = .citizen, roles: [StaffRole] = [],
                     departmentCode: String? = nil, servicePointCode: String? = nil,
                     totpSecret: [UInt8]? = nil, confirmed: Bool = true) async throws -> Account {
        let department = try await departmentCode.asyncMap { code in
            try await Department.query(on: app.db).filter(\.$code == code).first()
        } ?? nil
        let point = try await servicePointCode.asyncMap { code in
            try await ServicePoint.query(on: app.db).filter(\.$code == code).first()
        } ?? nil
        let hash = try await app.dependencies.passwordHasher.hash(password, on: app.threadPool)
        let account = Account(email: email, displayName: email.components(separatedBy: "@")[0], kind: kind, roles: roles,
                              departmentID: department?.id, servicePointID: point?.id, passwordHash: hash, locale: .en,
                              timeZone: "Europe/Paris", createdAt: app.dependencies.clock.now())
        if confirmed { account.emailConfirmedAt = app.dependencies.clock.now() }
        if let totpSecret { account.totpSecret = try app.dependencies.secrets.seal(totpSecret) }
        try await account.create(on: app.db)
        return account
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

import Fluent
import ZeroErrandCore
