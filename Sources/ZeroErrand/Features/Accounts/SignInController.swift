import Fluent
import Vapor
import ZeroErrandCore

/// Sign-in with a password and, where the account has one, a second factor; sign-out.
struct SignInController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.signIn.route, use: form)
        routes.post(SiteURL.signIn.route, use: signIn)
        routes.get(SiteURL.secondFactor.route, use: secondFactorForm)
        routes.post(SiteURL.secondFactor.route, use: secondFactor)
        routes.get(SiteURL.emailUnconfirmed.route, use: emailUnconfirmed)
        routes.post(SiteURL.signOut.route, use: signOut)
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        if req.currentAccount != nil { return req.redirect(to: .account) }
        let next = req.safeNextPath(try? req.query.get(String.self, at: "next")) ?? ""
        // Someone following a power-of-attorney invitation learns why they must sign in, and how.
        let notice = next.hasPrefix(SiteURL.mandates.path + "/") ? req.t("signin.invitation_notice") : nil
        return try await req.page("accounts/sign-in", FormPage(values: SignInValues(next: next), notice: notice), title: "signin.title")
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let values = SignInValues(email: form.email ?? "", next: req.safeNextPath(form.next) ?? "")
        let failed = { (key: String, arguments: [String: String], status: HTTPResponseStatus) in
            try await req.page("accounts/sign-in", FormPage(values: values, formError: req.t(key, arguments)),
                               title: "signin.title", status: status)
        }
        guard let email = EmailAddress.normalize(form.email ?? ""), let password = form.password, !password.isEmpty,
              password.count <= PasswordPolicy.maximumLength else {
            return try await failed("signin.failed", [:], .unauthorized)
        }
        let service = req.accounts
        let account: Account
        switch try await service.checkPassword(password, email: email, channel: "web") {
        case .accepted(let accepted): account = accepted
        case .rejected: return try await failed("signin.failed", [:], .unauthorized)
        case .suspended: return try await failed("signin.suspended", [:], .forbidden)
        case .blocked(let until):
            let error = service.blockedError(until: until)
            let response = try await failed(error.key, error.arguments, .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(error.retryAfter ?? 60))
            return response
        }
        let objectID = try account.requireID().uuidString.lowercased()

        // An unconfirmed address may belong to someone else: the session can only ask for the
        // confirmation again, never act.
        let stage: SignInSession.Stage = account.emailConfirmedAt == nil ? .confirmEmail
            : account.hasSecondFactor ? .secondFactor
            : (account.mustUseSecondFactor ? .enrolSecondFactor : .signedIn)
        let destination: String = switch stage {
        case .secondFactor: SiteURL.secondFactor.path + (values.next.isEmpty ? "" : "?next=" + values.next.queryEncoded)
        case .enrolSecondFactor: SiteURL.twoFactorSetup.path
        case .confirmEmail: SiteURL.emailUnconfirmed.path
        case .signedIn: values.next.isEmpty ? try await Self.landing(for: account, req) : values.next
        }
        let response = req.redirect(to: destination, redirectType: .normal)
        try await req.audited(actingAs: account.id) { db, audit in
            try await service.startSession(for: account, stage: stage, on: response, database: db)
            let action = switch stage {
            case .signedIn: "sign_in.succeeded"
            case .confirmEmail: "sign_in.email_unconfirmed"
            default: "sign_in.password_accepted"
            }
            try await audit.record(action, "account", objectID, ["factors": "password"])
        }
        return response
    }

    struct SecondFactorForm: Content {
        var code: String?
        var next: String?
    }

    @Sendable func secondFactorForm(req: Request) async throws -> Response {
        guard req.signInSession?.stage == .secondFactor else { return req.redirect(to: .signIn) }
        let next = req.safeNextPath(try? req.query.get(String.self, at: "next")) ?? ""
        return try await req.page("accounts/second-factor", FormPage(values: SignInValues(next: next)), title: "twofactor.title")
    }

    @Sendable func secondFactor(req: Request) async throws -> Response {
        guard let session = req.signInSession, session.stage == .secondFactor else { return req.redirect(to: .signIn) }
        let form = try req.content.decode(SecondFactorForm.self)
        let next = req.safeNextPath(form.next) ?? ""
        let account = session.account
        let accountID = try account.requireID()
        let service = req.accounts
        let response = req.redirect(to: next.isEmpty ? try await Self.landing(for: account, req) : next, redirectType: .normal)
        let outcome = try await service.withSecondFactor(form.code, for: accountID, failureAction: "sign_in.failed",
                                                         actingAs: accountID) { db, audit, method in
            try await service.startSession(for: account, stage: .signedIn, on: response, database: db)
            try await audit.record("sign_in.succeeded", "account", accountID.uuidString.lowercased(),
                                   ["factors": "password+\(method.rawValue)"])
        }
        let failed = { (key: String, arguments: [String: String], status: HTTPResponseStatus) in
            try await req.page("accounts/second-factor", FormPage(values: SignInValues(next: next), errors: ["code": req.t(key, arguments)]),
                               title: "twofactor.title", status: status)
        }
        switch outcome {
        case .accepted: return response
        case .rejected: return try await failed("twofactor.invalid", [:], .unauthorized)
        case .blocked(let error): return try await failed(error.key, error.arguments, .tooManyRequests)
        }
    }

    /// The one page an account with an unconfirmed address sees: it offers the email again.
    @Sendable func emailUnconfirmed(req: Request) async throws -> Response {
        guard let session = req.signInSession, session.stage == .confirmEmail else { return req.redirect(to: .signIn) }
        return try await req.page("accounts/email-unconfirmed",
                                  FormPage(values: TokenValues(email: session.account.email)), title: "account.unconfirmed.heading")
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        let response = req.redirect(to: .home)
        if let session = req.signInSession {
            let accountID = session.$account.id
            try await req.audited { db, audit in
                try await session.delete(on: db)
                try await audit.record("sign_out", "account", accountID.uuidString.lowercased())
            }
            // Signing out ends the account's calls too, on every device (sockets are not tied to one session).
            await req.application.videoRooms.disconnect(account: accountID)
        }
        response.cookies[req.cookieName(SessionAuthenticator.cookieName)] = req.expiredCookie()
        return response
    }

    /// Where each kind of person starts after signing in.
    /// Where a sign-in without a destination lands: a relative with a power of attorney waiting
    /// for their answer lands on it (the invitation link may have been lost on the way through
    /// registration), anyone else on their home.
    static func landing(for account: Account, _ req: Request) async throws -> String {
        if account.kind == .citizen, account.emailConfirmedAt != nil,
           try await Mandate.query(on: req.db).filter(\.$proxyEmail == account.email).filter(\.$status == .invited).count() > 0 {
            return SiteURL.mandates.path
        }
        return home(for: account).path
    }

    static func home(for account: Account) -> SiteURL {
        switch account.kind {
        case .citizen: .account
        case .staff: .staffHome
        case .assistant: .servicePointDesk
        case .admin: .admin
        }
    }
}
