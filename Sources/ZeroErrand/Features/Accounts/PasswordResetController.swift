import Fluent
import Vapor
import ZeroErrandCore

/// Password reset by emailed link. It never bypasses the second factor: an account that has one
/// must also give a current code or a recovery code.
struct PasswordResetController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.forgotPassword.route, use: forgotForm)
        routes.post(SiteURL.forgotPassword.route, use: forgot)
        routes.get(SiteURL.resetPassword.route, use: resetForm)
        routes.post(SiteURL.resetPassword.route, use: reset)
    }

    struct ForgotForm: Content { var email: String? }

    @Sendable func forgotForm(req: Request) async throws -> Response {
        try await req.page("accounts/forgot-password", FormPage(values: TokenValues()), title: "forgot.title")
    }

    @Sendable func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotForm.self)
        guard let email = EmailAddress.normalize(form.email ?? "") else {
            return try await req.page("accounts/forgot-password",
                                      FormPage(values: TokenValues(email: form.email ?? ""), errors: ["email": req.t("field.email_invalid")]),
                                      title: "forgot.title", status: .unprocessableEntity)
        }
        let service = req.accounts
        try await service.limitMail(to: email)
        let outbox = req.application.outbox
        let account = try await service.account(email: email)
        // The same work and the same answer whether or not the address has an account; the request
        // is anonymous, so the audit log does not pin it on the owner.
        try await req.audited { db, audit in
            guard let account, account.suspendedAt == nil else {
                try await audit.record("account.password_reset_requested", "account", "unknown")
                return
            }
            let token = try await service.issueToken(.resetPassword, for: account, on: db)
            try await outbox.enqueue(to: account, subjectKey: "mail.reset.subject", bodyKey: "mail.reset.body",
                                     arguments: ["name": account.displayName, "link": service.link(.resetPassword, token: token), "code": token],
                                     on: db)
            try await audit.record("account.password_reset_requested", "account", account.id!.uuidString.lowercased())
        }
        return try await req.page("message", MessagePage(heading: req.t("forgot.sent.heading"),
                                                         message: req.t("forgot.sent.message", ["email": email])),
                                  title: "forgot.sent.heading")
    }

    struct ResetForm: Content {
        var token: String?
        var password: String?
        var code: String?
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        try await req.page("accounts/reset-password", FormPage(values: TokenValues()), title: "reset.title")
    }

    @Sendable func reset(req: Request) async throws -> Response {
        let form = try req.content.decode(ResetForm.self)
        let service = req.accounts
        let render = { (errors: [String: String]) in
            try await req.page("accounts/reset-password", FormPage(values: TokenValues(token: form.token ?? ""), errors: errors),
                               title: "reset.title", status: .unprocessableEntity)
        }
        guard let token = try await service.validToken(form.token, purpose: .resetPassword, .invitation) else {
            return try await render(["token": req.t("reset.invalid")])
        }
        let account = token.account
        if let problem = service.passwordProblem(form.password ?? "", email: account.email) {
            return try await render(["password": problem])
        }
        let passwordHash = try await service.hashPassword(form.password ?? "")
        let now = req.now
        let outbox = req.application.outbox
        let accountID = try account.requireID()
        /// Runs in the transaction that also checked the second factor, when there is one.
        let reset = { @Sendable (db: any Database, audit: AuditTrail) async throws -> Bool in
            guard try await service.useToken(token, on: db), let account = try await Account.find(accountID, on: db) else { return false }
            account.passwordHash = passwordHash
            // Whoever could read the mailbox has now proved it; the address is confirmed.
            if account.emailConfirmedAt == nil { account.emailConfirmedAt = now }
            try await account.update(on: db)
            try await AccountService.endAllSessions(of: accountID, on: db)
            try await outbox.enqueue(to: account, subjectKey: "mail.password_changed.subject",
                                     bodyKey: "mail.password_changed.body", arguments: ["name": account.displayName], on: db)
            try await audit.record("account.password_reset", "account", accountID.uuidString.lowercased())
            return true
        }
        let done: Bool
        if account.hasSecondFactor {
            switch try await service.withSecondFactor(form.code, for: accountID, failureAction: "account.password_reset_failed",
                                                      then: { db, audit, _ in try await reset(db, audit) }) {
            case .accepted(let result): done = result
            case .rejected: return try await render(["code": req.t("twofactor.invalid")])
            case .blocked(let error): return try await render(["code": req.t(error.key, error.arguments)])
            }
        } else {
            done = try await req.audited(reset)
        }
        guard done else { return try await render(["token": req.t("reset.invalid")]) }
        // The owner's way out of a lockout: failures of the address are forgotten.
        let keys = service.signInKeys(email: account.email)
        try await req.throttles.clear(keys.account, keys.pair)
        // Every session ended with the reset; so do the account's open calls.
        await req.application.videoRooms.disconnect(account: accountID)
        let response = try await req.page("message", MessagePage(heading: req.t("reset.done.heading"), message: req.t("reset.done.message"),
                                                                 linkPath: SiteURL.signIn.path, linkText: req.t("nav.sign_in")),
                                          title: "reset.done.heading")
        response.cookies[req.cookieName(SessionAuthenticator.cookieName)] = req.expiredCookie()
        return response
    }
}
