import Fluent
import SQLKit
import Vapor
import ZeroErrandCore

/// Finds the signed-in account from the session cookie, ends expired sessions, and keeps the
/// idle clock running.
struct SessionAuthenticator: AsyncMiddleware {
    static let cookieName = "ze_session"
    /// Writing last-seen on every request would make each page view a database write.
    static let touchInterval: TimeInterval = 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        // The API takes a bearer token and never the cookie: it is exempt from the CSRF check, so a
        // cookie a browser sends along by itself must not authenticate there.
        let isAPI = request.url.path.hasPrefix("/api/")
        let token = isAPI ? request.headers.bearerAuthorization?.token : request.cookies[request.cookieName(Self.cookieName)]?.string
        if let token, !token.isEmpty {
            let hash = request.dependencies.secrets.tokenHash(token)
            if let (session, account) = try await Self.session(hash, on: request.db) {
                let now = request.now
                if account.suspendedAt != nil || SessionPolicy.isExpired(
                    createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, kind: account.kind,
                    pending: session.stage != .signedIn, now: now) {
                    try await session.delete(on: request.db)
                    clearCookie = !isAPI
                } else {
                    request.signInSession = session
                    // Sessions from before an address had to be confirmed do not act either.
                    if session.stage == .signedIn, account.emailConfirmedAt != nil { request.currentAccount = account }
                    if now.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval {
                        session.lastSeenAt = now
                        try await session.update(on: request.db)
                    }
                }
            } else {
                clearCookie = !isAPI
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie && response.cookies[request.cookieName(Self.cookieName)] == nil {
            response.cookies[request.cookieName(Self.cookieName)] = request.expiredCookie()
        }
        return response
    }

    /// One statement on every signed-in request, fixed text, the account joined (see `ModelColumns`).
    private static let sessionText = "SELECT \(SignInSession.columns.select("sessions", prefix: "s_")), "
        + "\(Account.columns.select("accounts", prefix: "a_")) FROM sessions JOIN accounts ON accounts.id = sessions.account_id "
        + "WHERE sessions.token_hash = "

    private static let sessionRead = PreparedRead(name: "ze_session", text: sessionText + "$1")

    static func session(_ tokenHash: String, on db: any Database) async throws -> (SignInSession, Account)? {
        guard let row = try await sessionRead.all([tokenHash], or: "\(unsafeRaw: sessionText)\(bind: tokenHash)", on: db).first
        else { return nil }
        let session = try SignInSession.columns.decode(row, prefix: "s_")
        let account = try Account.columns.decode(row, prefix: "a_")
        session.$account.value = account
        return (session, account)
    }
}

extension Request {
    private struct AccountKey: StorageKey { typealias Value = Account }
    private struct SessionKey: StorageKey { typealias Value = SignInSession }

    /// The fully signed-in account (both factors done), if any.
    var currentAccount: Account? {
        get { storage[AccountKey.self] }
        set { storage[AccountKey.self] = newValue }
    }

    /// The session behind the cookie, including one still waiting for its second factor.
    var signInSession: SignInSession? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    var actor: Actor? { currentAccount?.actor }

    func requireAccount() throws -> Account {
        guard let account = currentAccount else { throw AppError.signInRequired }
        return account
    }

    /// Over HTTPS (production) every cookie is `__Host-` prefixed: the browser then refuses one set
    /// by a sibling domain or over plain HTTP, so nobody can plant a session or CSRF cookie.
    func cookieName(_ base: String) -> String {
        dependencies.config.cookieSecure ? "__Host-" + base : base
    }

    func cookie(_ value: String, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, maxAge: maxAge, path: "/", isSecure: dependencies.config.cookieSecure,
                          isHTTPOnly: true, sameSite: .lax)
    }

    func expiredCookie() -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                          isSecure: dependencies.config.cookieSecure, isHTTPOnly: true, sameSite: .lax)
    }
}
