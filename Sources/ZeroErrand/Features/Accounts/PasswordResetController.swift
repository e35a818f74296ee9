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
        let outbox = req.application.outbox
        if let account = try await service.account(email: email), account.suspendedAt == nil {
            try await req.audited(actingAs: account.id) { db, audit in
                let token = try await service.issueToken(.resetPassword, for: account, on: db)
                try await outbox.enqueue(to: account, subjectKey: "mail.reset.subject", bodyKey: "mail.reset.body",
                                         arguments: ["name": account.displayName, "link": service.link(.resetPassword, token: token), "code": token],
                                         on: db)
                try await audit.record("account.password_reset_requested", "account", account.id!.uuidString.lowercased())
            }
        }
        // The same answer whether or not the address has an account.
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
        let throttle = try await service.throttle(key: service.throttleKey(forEmail: account.email))
        if let until = throttle.throttle.blockedUntil(now: req.now) {
            return try await render(["code": req.t(service.blockedError(until: until).key, service.blockedError(until: until).arguments)])
        }
        let passwordHash = try await service.hashPassword(form.password ?? "")
        let now = req.now
        let outbox = req.application.outbox
        let accepted = try await req.audited(actingAs: account.id) { db, audit -> Bool in
            if account.hasSecondFactor {
                guard try await service.checkSecondFactor(form.code, for: account, on: db) != nil else {
                    throttle.throttle = throttle.throttle.recordingFailure(at: now)
                    try await throttle.save(on: db)
                    try await audit.record("account.password_reset_failed", "account", account.id!.uuidString.lowercased(),
                                           ["reason": "second_factor"])
                    return false
                }
            }
            token.usedAt = now
            try await token.update(on: db)
            account.passwordHash = passwordHash
            // Whoever could read the mailbox has now proved it; the address is confirmed.
            if account.emailConfirmedAt == nil { account.emailConfirmedAt = now }
            try await account.update(on: db)
            try await AccountService.endAllSessions(of: account.requireID(), on: db)
            if throttle.id != nil { try await throttle.delete(on: db) }
            try await outbox.enqueue(to: account, subjectKey: "mail.password_changed.subject",
                                     bodyKey: "mail.password_changed.body", arguments: ["name": account.displayName], on: db)
            try await audit.record("account.password_reset", "account", account.id!.uuidString.lowercased())
            return true
        }
        guard accepted else { return try await render(["code": req.t("twofactor.invalid")]) }
        let response = try await req.page("message", MessagePage(heading: req.t("reset.done.heading"), message: req.t("reset.done.message"),
                                                                 linkPath: SiteURL.signIn.path, linkText: req.t("nav.sign_in")),
                                          title: "reset.done.heading")
        response.cookies[SessionAuthenticator.cookieName] = req.expiredCookie()
        return response
    }
}
