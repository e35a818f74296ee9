import Vapor
import ZeroErrandCore

/// Every state-changing form carries a token that must match the visitor's CSRF cookie
/// (double submit), and a cross-site Origin is refused outright.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "ze_csrf"
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Only a value this middleware could have made is accepted: it is written into every page.
        let cookie = request.cookies[Self.cookieName]?.string
        let existing = cookie.flatMap { $0.wholeMatch(of: /[A-Za-z0-9_-]{43}/) != nil ? $0 : nil }
        let token = existing ?? request.dependencies.random.token()
        request.csrfToken = token

        if ![.GET, .HEAD, .OPTIONS].contains(request.method) && !request.url.path.hasPrefix("/api/") {
            try Self.checkOrigin(of: request)
            let submitted = try await submittedToken(in: request)
            guard let existing, let submitted, constantTimeEquals(submitted, existing) else { throw AppError.csrf }
        }
        let response = try await next.respond(to: request)
        if existing == nil || request.csrfRotated {
            response.cookies[Self.cookieName] = request.cookie(request.csrfToken)
        }
        return response
    }

    /// A browser always names the page's origin; one from another site is refused. Also used for
    /// WebSocket upgrades, which are GET requests a foreign page could otherwise open with our cookie.
    static func checkOrigin(of request: Request) throws {
        guard let origin = request.headers.first(name: .origin), origin != "null" else { return }
        let host = request.headers.first(name: .host) ?? ""
        guard let originHost = URL(string: origin)?.host, host.split(separator: ":").first.map(String.init) == originHost else {
            throw AppError.csrf
        }
    }

    private func submittedToken(in request: Request) async throws -> String? {
        if let header = request.headers.first(name: Self.headerName) { return header }
        guard request.headers.contentType == .urlEncodedForm else { return nil }
        if request.body.data == nil {
            _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
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
