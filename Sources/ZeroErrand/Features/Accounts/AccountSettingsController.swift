import Fluent
import Vapor
import ZeroErrandCore

/// A person's own account: profile, language and time zone, two-factor sign-in, sessions.
struct AccountSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Set-up of the second factor is also reachable halfway through a staff member's first sign-in.
        routes.get(SiteURL.twoFactorSetup.route, use: twoFactorForm)
        routes.post(SiteURL.twoFactorSetup.route, use: enableTwoFactor)
        // The one thing a session whose address is unconfirmed may do.
        routes.post(SiteURL.resendConfirmation.route, use: resendConfirmation)

        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.account.route, use: show)
        own.post(SiteURL.account.route, use: update)
        own.post(SiteURL.twoFactorDisable.route, use: disableTwoFactor)
        own.post(SiteURL.recoveryCodes.route, use: regenerateRecoveryCodes)
        own.post(SiteURL.signOutEverywhere.route, use: signOutEverywhere)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await render(req, account: try req.requireAccount())
    }

    private func render(_ req: Request, account: Account, errors: [String: String] = [:], notice: String? = nil,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        let codesLeft = try await RecoveryCode.query(on: req.db).filter(\.$account.$id == account.requireID())
            .filter(\.$usedAt == nil).count()
        let page = AccountPage(
            email: account.email, displayName: account.displayName, kindLabel: req.t("kind.\(account.kind.rawValue)"),
            identityLevel: account.identityLevel.map { req.t("identity.level\($0.rawValue)") } ?? req.t("identity.none"),
            hasSecondFactor: account.hasSecondFactor, mustUseSecondFactor: account.mustUseSecondFactor,
            recoveryCodesLeft: codesLeft, timeZone: account.timeZone, locale: account.locale,
            timeZones: TimeZone.knownTimeZoneIdentifiers.sorted(), memberSince: req.showTime(account.createdAt),
            errors: errors, notice: notice)
        return try await req.page("accounts/account", page, title: "account.title", status: status)
    }

    struct ProfileForm: Content {
        var displayName: String?
        var locale: String?
        var timeZone: String?
    }

    @Sendable func update(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let form = try req.content.decode(ProfileForm.self)
        var errors: [String: String] = [:]
        let name = (form.displayName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !AccountService.isAcceptableName(name) { errors["displayName"] = req.t("field.name_required") }
        let locale = AppLocale(tag: form.locale ?? "")
        if locale == nil { errors["locale"] = req.t("field.invalid_choice") }
        let zone = form.timeZone ?? ""
        if TimeZone(identifier: zone) == nil { errors["timeZone"] = req.t("field.time_zone_invalid") }
        guard errors.isEmpty, let locale else { return try await render(req, account: account, errors: errors, status: .unprocessableEntity) }
        try await req.audited { db, audit in
            var changed: [String: String] = [:]
            if account.displayName != name { changed["display_name"] = "changed" }
            if account.locale != locale.rawValue { changed["locale"] = locale.rawValue }
            if account.timeZone != zone { changed["time_zone"] = zone }
            account.displayName = name
            account.locale = locale.rawValue
            account.timeZone = zone
            try await account.update(on: db)
            try await audit.record("account.profile_updated", "account", account.id!.uuidString.lowercased(), changed)
        }
        let response = try await render(req, account: account, notice: req.t("account.saved"))
        // The saved language wins over an earlier explicit switch.
        response.cookies[req.cookieName("ze_lang")] = req.cookie(locale.rawValue, maxAge: 365 * 86400)
        return response
    }

    /// The account being set up and its session: fully signed in, or halfway through a first staff sign-in.
    private func enrolling(_ req: Request) throws -> (Account, SignInSession, enrolling: Bool) {
        guard let session = req.signInSession else { throw AppError.signInRequired }
        if let account = req.currentAccount { return (account, session, false) }
        // A second factor on someone else's unconfirmed address would lock its owner out of the reset.
        if session.stage == .enrolSecondFactor, session.account.emailConfirmedAt != nil { return (session.account, session, true) }
        throw AppError.signInRequired
    }

    @Sendable func twoFactorForm(req: Request) async throws -> Response {
        if req.signInSession?.stage == .confirmEmail { return req.redirect(to: .emailUnconfirmed) }
        let (account, session, enrolling) = try enrolling(req)
        if account.hasSecondFactor { return req.redirect(to: .account) }
        let secrets = req.dependencies.secrets
        // The pending secret survives reloads, so a code from an app that already scanned it still works.
        let secret: [UInt8]
        if let pending = session.totpPendingSecret, let opened = try? secrets.open(pending) {
            secret = opened
        } else {
            secret = req.dependencies.random.bytes(20)
            session.totpPendingSecret = try secrets.seal(secret)
            try await session.update(on: req.db)
        }
        return try await renderSetup(req, account: account, secret: secret, enrolling: enrolling)
    }

    private func renderSetup(_ req: Request, account: Account, secret: [UInt8], enrolling: Bool,
                             errors: [String: String] = [:]) async throws -> Response {
        let totp = TOTP(secret: secret)
        let encoded = Base32.encode(secret)
        let groups = stride(from: 0, to: encoded.count, by: 4).map { offset -> String in
            let start = encoded.index(encoded.startIndex, offsetBy: offset)
            return String(encoded[start..<encoded.index(start, offsetBy: min(4, encoded.count - offset))])
        }.joined(separator: " ")
        let uri = totp.provisioningURI(account: account.email, issuer: "ZeroErrand")
        let page = TwoFactorSetupPage(secretGroups: groups, provisioningURI: uri, qrSVG: try QRImage.svg(uri, title: req.t("twofactor.setup.qr_label")),
                                      enrolling: enrolling, errors: errors)
        return try await req.page("accounts/two-factor-setup", page, title: "twofactor.setup.title",
                                  status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    struct CodeForm: Content { var code: String? }

    @Sendable func enableTwoFactor(req: Request) async throws -> Response {
        let (account, session, enrolling) = try enrolling(req)
        if account.hasSecondFactor { return req.redirect(to: .account) }
        let secrets = req.dependencies.secrets
        guard let pending = session.totpPendingSecret, let secret = try? secrets.open(pending) else { return req.redirect(to: .twoFactorSetup) }
        let form = try req.content.decode(CodeForm.self)
        guard let counter = TOTP(secret: secret).matchingCounter(for: form.code ?? "", at: req.now) else {
            return try await renderSetup(req, account: account, secret: secret, enrolling: enrolling,
                                         errors: ["code": req.t("twofactor.invalid")])
        }
        let service = req.accounts
        let response = Response(status: .ok)
        let accountID = try account.requireID()
        let codes = try await req.audited(actingAs: accountID) { db, audit -> [String]? in
            guard let account = try await Account.find(accountID, on: db), account.totpSecret == nil else { return nil }
            account.totpSecret = pending
            account.totpLastCounter = Int64(counter)
            try await account.update(on: db)
            let codes = try await service.replaceRecoveryCodes(for: account, on: db)
            try await audit.record("account.two_factor_enabled", "account", accountID.uuidString.lowercased())
            if enrolling {
                // Both factors are now proven: this completes the sign-in, with a new session id.
                try await service.startSession(for: account, stage: .signedIn, on: response, database: db)
                try await audit.record("sign_in.succeeded", "account", accountID.uuidString.lowercased(), ["factors": "password+totp_enrolment"])
            } else {
                session.totpPendingSecret = nil
                try await session.update(on: db)
            }
            return codes
        }
        guard let codes else { return req.redirect(to: .account) }
        let page = RecoveryCodesPage(codes: codes, continuePath: enrolling ? SignInController.home(for: account).path : SiteURL.account.path)
        let rendered = try await req.page("accounts/recovery-codes", page, title: "recovery.title")
        for (name, value) in response.cookies.all { rendered.cookies[name] = value }
        return rendered
    }

    @Sendable func disableTwoFactor(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard !account.mustUseSecondFactor, account.hasSecondFactor else { throw AppError.forbidden }
        let form = try req.content.decode(CodeForm.self)
        let accountID = try account.requireID()
        let outcome = try await req.accounts.withSecondFactor(form.code, for: accountID, failureAction: "account.two_factor_disable_failed") { db, audit, _ in
            guard let fresh = try await Account.find(accountID, on: db) else { return }
            fresh.totpSecret = nil
            fresh.totpLastCounter = nil
            try await fresh.update(on: db)
            try await RecoveryCode.query(on: db).filter(\.$account.$id == accountID).delete()
            try await audit.record("account.two_factor_disabled", "account", accountID.uuidString.lowercased())
        }
        switch outcome {
        case .accepted:
            account.totpSecret = nil
            return try await render(req, account: account, notice: req.t("twofactor.disabled"))
        case .rejected:
            return try await render(req, account: account, errors: ["disableCode": req.t("twofactor.invalid")], status: .unprocessableEntity)
        case .blocked(let error):
            return try await render(req, account: account, errors: ["disableCode": req.t(error.key, error.arguments)], status: .tooManyRequests)
        }
    }

    @Sendable func regenerateRecoveryCodes(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let form = try req.content.decode(CodeForm.self)
        let accountID = try account.requireID()
        let service = req.accounts
        let outcome = try await service.withSecondFactor(form.code, for: accountID, failureAction: "account.recovery_codes_failed") { db, audit, _ in
            let codes = try await service.replaceRecoveryCodes(for: account, on: db)
            try await audit.record("account.recovery_codes_replaced", "account", accountID.uuidString.lowercased())
            return codes
        }
        switch outcome {
        case .accepted(let codes):
            return try await req.page("accounts/recovery-codes", RecoveryCodesPage(codes: codes, continuePath: SiteURL.account.path), title: "recovery.title")
        case .rejected:
            return try await render(req, account: account, errors: ["recoveryCode": req.t("twofactor.invalid")], status: .unprocessableEntity)
        case .blocked(let error):
            return try await render(req, account: account, errors: ["recoveryCode": req.t(error.key, error.arguments)], status: .tooManyRequests)
        }
    }

    @Sendable func signOutEverywhere(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        try await req.audited { db, audit in
            try await AccountService.endAllSessions(of: account.requireID(), on: db)
            try await audit.record("account.signed_out_everywhere", "account", account.id!.uuidString.lowercased())
        }
        await req.application.videoRooms.disconnect(account: try account.requireID())
        let response = req.redirect(to: .signIn)
        response.cookies[req.cookieName(SessionAuthenticator.cookieName)] = req.expiredCookie()
        return response
    }

    @Sendable func resendConfirmation(req: Request) async throws -> Response {
        guard let session = req.signInSession, session.stage == .confirmEmail else { return req.redirect(to: .signIn) }
        let account = session.account
        guard account.emailConfirmedAt == nil else { return req.redirect(to: .signIn) }
        try await req.accounts.limitMail(to: account.email)
        let service = req.accounts
        let outbox = req.application.outbox
        try await req.audited(actingAs: account.id) { db, audit in
            try await RegistrationController.enqueueConfirmation(to: account, service: service, outbox: outbox, on: db)
            try await audit.record("account.confirmation_resent", "account", account.id!.uuidString.lowercased())
        }
        return try await req.page("accounts/email-unconfirmed",
                                  FormPage(values: TokenValues(email: account.email), notice: req.t("account.confirmation_sent")),
                                  title: "account.unconfirmed.heading")
    }
}
