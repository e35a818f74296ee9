import Vapor
import ZeroErrandCore

/// Applies `AccessPolicy` to a whole route group. Signed-out visitors of a page are sent to
/// sign in; signed-in people without the permission get 403 and nothing else.
struct Require: AsyncMiddleware {
    let permission: @Sendable (Request) -> Permission

    init(_ permission: Permission) { self.permission = { _ in permission } }
    init(_ permission: @escaping @Sendable (Request) -> Permission) { self.permission = permission }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let actor = request.actor else {
            if request.signInSession?.stage == .confirmEmail && !request.wantsJSON && request.method == .GET {
                // Signed in but unconfirmed: the one page that explains it, not a bare sign-in form.
                return request.redirect(to: SiteURL.emailUnconfirmed.path)
            }
            if request.wantsJSON || request.method != .GET { throw AppError.signInRequired }
            return request.redirect(to: SiteURL.signIn.path + "?next=" + request.url.string.queryEncoded)
        }
        guard AccessPolicy.allows(actor, permission(request)) else { throw AppError.forbidden }
        return try await next.respond(to: request)
    }
}

/// Headers every response carries: no framing, no sniffing, no referrer leaking paths,
/// and nothing loaded from another site.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        // A response that set its own (a document shown inline, sandboxed) keeps it.
        if !response.headers.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value:
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        if !response.headers.contains(name: "X-Frame-Options") { response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY") }
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        // Camera and microphone only where the call happens; nothing else a page could ask for.
        let media = Self.isVideoRoom(request.url.path) ? "(self)" : "()"
        // Location only where the service points are ordered by it (in the browser; it is never sent).
        let location = request.url.path == SiteURL.servicePoints.path ? "(self)" : "()"
        response.headers.replaceOrAdd(name: "Permissions-Policy", value:
            "camera=\(media), microphone=\(media), display-capture=(), geolocation=\(location), payment=(), usb=(), serial=(), bluetooth=(), midi=(), interest-cohort=()")
        if request.dependencies.config.cookieSecure {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        if [.tooManyRequests, .serviceUnavailable].contains(response.status), !response.headers.contains(name: .retryAfter) {
            // Every "slow down" says for how long; a page that knows better has set its own.
            response.headers.replaceOrAdd(name: .retryAfter, value: "60")
        }
        if request.currentAccount != nil || request.signInSession != nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }

    /// `/video/<session id>`: the one page that may use the camera and microphone.
    static func isVideoRoom(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[1] == "video" && UUID(uuidString: String(parts[2])) != nil
    }
}
