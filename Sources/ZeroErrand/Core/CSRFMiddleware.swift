import Vapor
import ZeroErrandCore

/// Every state-changing form carries a token that must match the visitor's CSRF cookie
/// (double submit), and a cross-site Origin is refused outright.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "ze_csrf"
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"

    /// The body limit for a path whose multipart forms may be larger than the default (a file
    /// uploaded without script): the token is read from the form, so the body is collected up to this.
    var multipartLimit: @Sendable (String) -> Int? = { _ in nil }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Only a value this middleware could have made is accepted: it is written into every page.
        let cookie = request.cookies[request.cookieName(Self.cookieName)]?.string
        let existing = cookie.flatMap { $0.wholeMatch(of: /[A-Za-z0-9_-]{43}/) != nil ? $0 : nil }
        let token = existing ?? request.dependencies.random.token()
        request.csrfToken = token

        if ![.GET, .HEAD, .OPTIONS].contains(request.method) && !request.url.path.hasPrefix("/api/") {
            try Self.checkOrigin(of: request)
            // Without our cookie no token can match: refused before a byte of a large form is read.
            guard existing != nil else { throw AppError.csrf }
            let submitted = try await submittedToken(in: request)
            guard let existing, let submitted, constantTimeEquals(submitted, existing) else { throw AppError.csrf }
        }
        let response = try await next.respond(to: request)
        if existing == nil || request.csrfRotated {
            response.cookies[request.cookieName(Self.cookieName)] = request.cookie(request.csrfToken)
        }
        return response
    }

    /// A browser always names the page's origin; one from another site is refused. Also used for
    /// WebSocket upgrades, which are GET requests a foreign page could otherwise open with our cookie.
    /// Scheme, host and port must all match: a page on another port of the same host is another
    /// site. The scheme is the one the app is published under (a proxy may end TLS before us).
    static func checkOrigin(of request: Request) throws {
        guard let origin = request.headers.first(name: .origin), origin != "null" else { return }
        let scheme = URL(string: request.dependencies.config.publicURL)?.scheme ?? "https"
        guard let host = request.headers.first(name: .host),
              let expected = URLComponents(string: "\(scheme)://\(host)").flatMap(Origin.init),
              let given = URLComponents(string: origin).flatMap(Origin.init), given == expected else {
            throw AppError.csrf
        }
    }

    /// An origin as browsers compare them: scheme, host and port (the default port spelled out).
    struct Origin: Equatable {
        let scheme: String
        let host: String
        let port: Int

        init?(_ components: URLComponents) {
            guard let scheme = components.scheme?.lowercased(), let host = components.host?.lowercased(), !host.isEmpty,
                  let port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) else { return nil }
            (self.scheme, self.host, self.port) = (scheme, host, port)
        }
    }

    private func submittedToken(in request: Request) async throws -> String? {
        if let header = request.headers.first(name: Self.headerName) { return header }
        let defaultLimit = request.application.routes.defaultMaxBodySize.value
        let limit: Int
        switch request.headers.contentType {
        case .urlEncodedForm?: limit = defaultLimit
        // A plain HTML form with a file input: the token travels as one of its fields.
        case let type? where type.type == "multipart" && type.subType == "form-data":
            limit = multipartLimit(request.url.path) ?? defaultLimit
        default: return nil
        }
        if request.body.data == nil {
            _ = try await request.body.collect(max: limit).get()
        }
        return try? request.content.get(String.self, at: Self.fieldName)
    }
}

extension Request {
    private struct TokenKey: StorageKey { typealias Value = String }
    private struct RotatedKey: StorageKey { typealias Value = Bool }

    var csrfToken: String {
        get { storage[TokenKey.self] ?? "" }
        set { storage[TokenKey.self] = newValue }
    }

    var csrfRotated: Bool { storage[RotatedKey.self] ?? false }

    /// A new token at sign-in, so one planted before cannot be used after.
    func rotateCSRFToken() {
        csrfToken = dependencies.random.token()
        storage[RotatedKey.self] = true
    }
}
