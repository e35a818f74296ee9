import Fluent
import Vapor
import ZeroErrandCore

/// Registration by email for citizens abroad (no home phone number), and email confirmation.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.register.route, use: form)
        routes.post(SiteURL.register.route, use: register)
        routes.get(SiteURL.confirmEmail.route, use: confirmForm)
        routes.post(SiteURL.confirmEmail.route, use: confirm)
    }

    struct RegisterForm: Content {
        var email: String?
        var displayName: String?
        var password: String?
        var timeZone: String?
        /// Only at a desk; elsewhere the page's own language is the registrant's.
        var language: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        // At a service point's desk the visitor registers on the assistant's screen, typing for themselves.
        // The visitor lives where the point is: its zone, not the desk computer's, is the likely one.
        let point = req.currentAccount?.kind == .assistant ? try await req.currentAccount?.$servicePoint.get(on: req.db) : nil
        return try await req.page("accounts/register", FormPage(values: RegisterValues(atDesk: point != nil, timeZone: point?.timeZone ?? ""),
                                                                notice: point == nil ? nil : req.t("desk.register.notice")),
                                  title: "register.title")
    }

    @Sendable func register(req: Request) async throws -> Response {
        let form = try req.content.decode(RegisterForm.self)
        var errors: [String: String] = [:]
        let atDesk = req.currentAccount?.kind == .assistant
        var values = RegisterValues(email: form.email ?? "", displayName: form.displayName ?? "", timeZone: form.timeZone ?? "")
        let chosenLanguage = form.language.flatMap(AppLocale.init(rawValue:))
        if atDesk, form.language.nonEmpty != nil, chosenLanguage == nil { errors["language"] = req.t("field.language_invalid") }
        values.language = chosenLanguage?.rawValue ?? values.language
        let email = EmailAddress.normalize(form.email ?? "")
        if email == nil { errors["email"] = req.t("field.email_invalid") }
        let name = (form.displayName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !AccountService.isAcceptableName(name) { errors["displayName"] = req.t("field.name_required") }
        let password = form.password ?? ""
        if let problem = req.accounts.passwordProblem(password, email: email) { errors["password"] = problem }
        let zone = (form.timeZone ?? "").trimmingCharacters(in: .whitespaces)
        if TimeZone(identifier: zone) == nil { errors["timeZone"] = req.t("field.time_zone_invalid") }
        guard errors.isEmpty, let email else {
            values.timeZone = zone
            values.atDesk = atDesk
            return try await req.page("accounts/register", FormPage(values: values, errors: errors,
                                                                    notice: values.atDesk ? req.t("desk.register.notice") : nil),
                                      title: "register.title", status: .unprocessableEntity)
        }

        try await req.accounts.limitMail(to: email)
        let existing = try await req.accounts.account(email: email)
        let passwordHash = try await req.accounts.hashPassword(password)
        let locale = atDesk ? chosenLanguage ?? .zhHans : req.locale
        let now = req.now
        let service = req.accounts
        let outbox = req.application.outbox
        let config = req.dependencies.config
        try await req.audited { db, audit in
            // Same page as a new registration, so nobody learns which addresses have accounts; the
            // owner is told by email instead, and nothing of the account changes.
            if let existing, existing.emailConfirmedAt != nil {
                try await outbox.enqueue(to: existing, subjectKey: "mail.already_registered.subject",
                                         bodyKey: "mail.already_registered.body",
                                         arguments: ["link": SiteURL.signIn.absolute(config),
                                                     "reset": SiteURL.forgotPassword.absolute(config)], on: db)
                try await audit.record("account.register_existing", "account", existing.id!.uuidString.lowercased())
                return
            }
            if let existing {
                // Never confirmed: whoever registered it may not own the address. The owner wins by
                // choosing the password through the mailbox, which also confirms the address.
                let token = try await service.issueToken(.resetPassword, for: existing, on: db)
                try await outbox.enqueue(to: existing, subjectKey: "mail.register_unconfirmed.subject",
                                         bodyKey: "mail.register_unconfirmed.body",
                                         arguments: ["link": service.link(.resetPassword, token: token), "code": token], on: db)
                try await audit.record("account.register_unconfirmed", "account", existing.id!.uuidString.lowercased())
                return
            }
            let account = Account(email: email, displayName: name, kind: .citizen, passwordHash: passwordHash,
                                  locale: locale, timeZone: zone, createdAt: now)
            try await account.create(on: db)
            try await Self.enqueueConfirmation(to: account, service: service, outbox: outbox, on: db)
            try await audit.record("account.registered", "account", account.id!.uuidString.lowercased(), ["kind": "citizen"])
        }
        return try await req.page("message", MessagePage(heading: req.t("register.sent.heading"),
                                                         message: req.t("register.sent.message", ["email": email])),
                                  title: "register.sent.heading")
    }

    /// The confirmation email: a new link (earlier ones stop working) to the account's address. It
    /// carries nothing the registrant typed (the address may be someone else's).
    static func enqueueConfirmation(to account: Account, service: AccountService, outbox: Outbox, on db: any Database) async throws {
        let token = try await service.issueToken(.confirmEmail, for: account, on: db)
        try await outbox.enqueue(to: account, subjectKey: "mail.confirm.subject", bodyKey: "mail.confirm.body",
                                 arguments: ["link": service.link(.confirmEmail, token: token), "code": token],
                                 on: db)
    }

    struct ConfirmForm: Content { var token: String? }

    @Sendable func confirmForm(req: Request) async throws -> Response {
        try await req.page("accounts/confirm-email", FormPage(values: TokenValues()), title: "confirm.title")
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        let form = try req.content.decode(ConfirmForm.self)
        guard let token = try await req.accounts.validToken(form.token, purpose: .confirmEmail) else {
            return try await req.page("accounts/confirm-email",
                                      FormPage(values: TokenValues(), errors: ["token": req.t("confirm.invalid")]),
                                      title: "confirm.title", status: .unprocessableEntity)
        }
        let now = req.now
        let service = req.accounts
        let confirmed = try await req.audited(actingAs: token.$account.id) { db, audit -> Bool in
            guard try await service.useToken(token, on: db), let account = try await Account.find(token.$account.id, on: db) else {
                return false
            }
            if account.emailConfirmedAt == nil {
                account.emailConfirmedAt = now
                try await account.update(on: db)
            }
            try await audit.record("account.email_confirmed", "account", account.id!.uuidString.lowercased())
            return true
        }
        guard confirmed else {
            return try await req.page("accounts/confirm-email",
                                      FormPage(values: TokenValues(), errors: ["token": req.t("confirm.invalid")]),
                                      title: "confirm.title", status: .unprocessableEntity)
        }
        return try await req.page("message", MessagePage(heading: req.t("confirm.done.heading"), message: req.t("confirm.done.message"),
                                                         linkPath: req.currentAccount == nil ? SiteURL.signIn.path : SiteURL.account.path,
                                                         linkText: req.t(req.currentAccount == nil ? "nav.sign_in" : "nav.account")),
                                  title: "confirm.done.heading")
    }
}
