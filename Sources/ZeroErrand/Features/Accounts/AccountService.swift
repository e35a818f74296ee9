import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Account rules shared by the sign-in, registration, reset and settings pages.
struct AccountService {
    let request: Request

    private var secrets: Secrets { request.dependencies.secrets }
    private var now: Date { request.now }

    func account(email: String) async throws -> Account? {
        try await Account.query(on: request.db).filter(\.$email == email).first()
    }

    // MARK: Sessions

    /// A new random token every time, also when a half-finished sign-in is completed, so a session
    /// id fixed before sign-in is worthless after it.
    func startSession(for account: Account, stage: SignInSession.Stage, on response: Response,
                      database: (any Database)? = nil) async throws {
        let database = database ?? request.db
        if let old = request.signInSession { try await old.delete(on: database) }
        let token = try await createSession(for: account, stage: stage, on: database)
        response.cookies[request.cookieName(SessionAuthenticator.cookieName)] = request.cookie(token)
        request.rotateCSRFToken()
        response.cookies[request.cookieName(CSRFMiddleware.cookieName)] = request.cookie(request.csrfToken)
    }

    /// A new session; returns its token, which is stored only as a keyed hash. API clients send it
    /// as `Authorization: Bearer`; browsers get it in the session cookie.
    func createSession(for account: Account, stage: SignInSession.Stage, on database: any Database) async throws -> String {
        let token = request.dependencies.random.token()
        let session = SignInSession(tokenHash: secrets.tokenHash(token), accountID: try account.requireID(), stage: stage,
                                    now: now, clientAddress: request.clientAddress,
                                    userAgent: request.headers.first(name: .userAgent) ?? "")
        try await session.create(on: database)
        return token
    }

    static func endAllSessions(of accountID: UUID, on database: any Database) async throws {
        try await SignInSession.query(on: database).filter(\.$account.$id == accountID).delete()
    }

    // MARK: Email tokens

    /// Returns the raw token for the email; only its keyed hash is stored. Earlier unused tokens of
    /// the same purpose stop working.
    func issueToken(_ purpose: EmailToken.Purpose, for account: Account, on database: any Database) async throws -> String {
        let accountID = try account.requireID()
        try await EmailToken.query(on: database).filter(\.$account.$id == accountID).filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil).set(\.$usedAt, to: now).update()
        let token = request.dependencies.random.token()
        try await EmailToken(accountID: accountID, purpose: purpose, tokenHash: secrets.tokenHash(token),
                             expiresAt: now.addingTimeInterval(purpose.lifetime)).create(on: database)
        return token
    }

    /// The account a still-valid token belongs to, without using it up.
    func validToken(_ raw: String?, purpose: EmailToken.Purpose...) async throws -> EmailToken? {
        try await validToken(raw, purposes: purpose, on: request.db)
    }

    /// Uses the token up inside the caller's transaction; false when another request was first.
    func useToken(_ token: EmailToken, on database: any Database) async throws -> Bool {
        guard let fresh = try await EmailToken.find(token.id, on: database), fresh.usedAt == nil, fresh.expiresAt > now else {
            return false
        }
        fresh.usedAt = now
        try await fresh.update(on: database)
        return true
    }

    private func validToken(_ raw: String?, purposes purpose: [EmailToken.Purpose], on database: any Database) async throws -> EmailToken? {
        guard let raw = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty, raw.count <= 100 else { return nil }
        guard let token = try await EmailToken.query(on: database).filter(\.$tokenHash == secrets.tokenHash(raw))
            .filter(\.$purpose ~~ purpose).with(\.$account).first() else { return nil }
        guard token.usedAt == nil, token.expiresAt > now else { return nil }
        return token
    }

    /// Links carry the token in the fragment, which browsers never send to a server or write to a log.
    func link(_ url: SiteURL, token: String) -> String {
        url.absolute(request.dependencies.config) + "#token=" + token
    }

    // MARK: Second factor

    enum SecondFactor: String { case authenticatorApp = "totp", recoveryCode = "recovery_code" }

    enum SecondFactorOutcome<Value: Sendable>: Sendable {
        case accepted(Value)
        case rejected
        case blocked(AppError)
    }

    /// The one way a second factor is checked: the attempt is counted before the code is looked at
    /// (so parallel guesses cannot share one count; a blocked attempt changes nothing and is not
    /// audited), the check runs on a fresh copy of the account
    /// inside the audited transaction (so a code cannot be used twice at once), a failure is
    /// audited as `failureAction`, and only a success clears the count and runs `then`.
    /// `throttleKey`: where failures count, when not against the account's own sign-in (a desk at a
    /// service point counts its own, so it cannot lock the visitor out); `failureObject`: what a
    /// failure is recorded about, when not the account.
    func withSecondFactor<Value: Sendable>(
        _ code: String?, for accountID: UUID, failureAction: String, actingAs actor: UUID? = nil,
        throttleKey: ThrottleKey? = nil, failureObject: (type: String, id: String)? = nil,
        then body: @escaping @Sendable (any Database, AuditTrail, SecondFactor) async throws -> Value
    ) async throws -> SecondFactorOutcome<Value> {
        let key = throttleKey ?? secondFactorThrottleKey(accountID)
        let (objectType, objectID) = failureObject ?? ("account", accountID.uuidString.lowercased())
        if let until = try await request.throttles.attempt(key, .secondFactor) {
            return .blocked(blockedError(until: until))
        }
        let service = self
        let outcome = try await request.audited(actingAs: actor) { db, audit -> SecondFactorOutcome<Value> in
            guard let account = try await Account.find(accountID, on: db),
                  let method = try await service.checkSecondFactor(code, for: account, on: db) else {
                try await audit.record(failureAction, objectType, objectID, ["reason": "second_factor"])
                return .rejected
            }
            return .accepted(try await body(db, audit, method))
        }
        // After the transaction: on SQLite a second connection writing inside it would wait for it for ever.
        if case .accepted = outcome { try await request.throttles.clear(key) }
        if case .rejected = outcome, failureAction == "sign_in.failed" { request.application.metrics.signInFailure("second_factor") }
        return outcome
    }

    /// Accepts a current TOTP code (each time step once) or an unused recovery code, and records its use.
    /// Call it only inside an audited transaction, on an account read in that transaction.
    private func checkSecondFactor(_ code: String?, for account: Account, on database: any Database) async throws -> SecondFactor? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty, code.count <= 40,
              let sealed = account.totpSecret else { return nil }
        let totp = TOTP(secret: try secrets.open(sealed))
        if let counter = totp.matchingCounter(for: code, at: now) {
            guard Int64(counter) > (account.totpLastCounter ?? -1) else { return nil }
            account.totpLastCounter = Int64(counter)
            try await account.update(on: database)
            return .authenticatorApp
        }
        let normalized = Self.normalizeRecoveryCode(code)
        if let recovery = try await RecoveryCode.query(on: database).filter(\.$account.$id == account.requireID())
            .filter(\.$codeHash == secrets.tokenHash("recovery:" + normalized)).filter(\.$usedAt == nil).first() {
            recovery.usedAt = now
            try await recovery.update(on: database)
            return .recoveryCode
        }
        return nil
    }

    /// Ten new codes replace any earlier ones. Shown once; stored as keyed hashes.
    func replaceRecoveryCodes(for account: Account, on database: any Database) async throws -> [String] {
        let accountID = try account.requireID()
        try await RecoveryCode.query(on: database).filter(\.$account.$id == accountID).delete()
        var codes: [String] = []
        for _ in 0..<10 {
            let raw = Base32.encode(request.dependencies.random.bytes(7)).lowercased().prefix(10)
            let code = "\(raw.prefix(5))-\(raw.suffix(5))"
            codes.append(code)
            try await RecoveryCode(accountID: accountID, codeHash: secrets.tokenHash("recovery:" + Self.normalizeRecoveryCode(code)))
                .create(on: database)
        }
        return codes
    }

    /// A display name goes into mail sent to the address it was registered with: one line, no
    /// control characters, so it can only ever read as a name, never as lines of the message.
    static func isAcceptableName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && !name.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) || CharacterSet.newlines.contains($0) }
    }

    static func normalizeRecoveryCode(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    // MARK: Throttling

    /// What the password step counts: the address from this client (an attacker's own tries block
    /// the attacker first), the address from anywhere (a guesser spread over many clients), and
    /// this client for any address (password spraying).
    struct SignInKeys: Sendable {
        let pair: ThrottleKey
        let account: ThrottleKey
        let client: ThrottleKey
    }

    func signInKeys(email: String) -> SignInKeys {
        SignInKeys(pair: ThrottleKey("sign-in-pair", email + "|" + request.throttleClient, secrets: secrets),
                   account: ThrottleKey("sign-in", email, secrets: secrets),
                   client: ThrottleKey("sign-in-client", request.throttleClient, secrets: secrets))
    }

    enum PasswordOutcome: Sendable {
        case accepted(Account)
        case rejected
        case blocked(until: Date)
        case suspended
    }

    /// The password step of signing in, the same for the web and the API. Throttles are counted
    /// before the password is looked at and outside the audited transactions; a refused attempt
    /// while blocked costs one statement and writes no audit event (it changes nothing).
    func checkPassword(_ password: String, email: String, channel: String) async throws -> PasswordOutcome {
        let keys = signInKeys(email: email)
        let throttles = request.throttles
        let account = try await account(email: email)
        let objectID = account?.id?.uuidString.lowercased() ?? "unknown"
        // Every key is counted before the password is looked at, so a burst of parallel tries
        // cannot slip past a count that is only written after each failure.
        var blocked = try await throttles.attempt(keys.client, .signInClient)
        if blocked == nil { blocked = try await throttles.attempt(keys.pair, .signInFromClient) }
        if blocked == nil { blocked = try await throttles.attempt(keys.account, .signInAnywhere) }
        if let blocked {
            request.logger.notice("sign-in refused while throttled", metadata: ["channel": .string(channel)])
            request.application.metrics.signInFailure("throttled")
            return .blocked(until: blocked)
        }
        let matches: Bool
        do {
            matches = try await passwordMatches(password, account: account)
        } catch let error as AppError where error.status == .serviceUnavailable {
            // Never checked (the hashing queue was full): the attempt does not count against anyone.
            for key in [keys.client, keys.pair, keys.account] { try await throttles.refund(key) }
            throw error
        }
        guard matches, let account else {
            request.application.metrics.signInFailure("password")
            try await request.audited { _, audit in
                try await audit.record("sign_in.failed", "account", objectID, ["reason": "password", "client": channel])
            }
            return .rejected
        }
        try await throttles.clear(keys.pair, keys.account)
        // The client's count is of failures: a success takes its attempt back (many people may sign
        // in from one office network), but never resets what the client failed before.
        try await throttles.refund(keys.client)
        if account.suspendedAt != nil {
            request.application.metrics.signInFailure("suspended")
            try await request.audited { _, audit in
                try await audit.record("sign_in.failed", "account", objectID, ["reason": "suspended", "client": channel])
            }
            return .suspended
        }
        return .accepted(account)
    }

    /// Second-factor failures count per account, apart from password failures, so knowing the
    /// password does not reset the count of code guesses.
    func secondFactorThrottleKey(_ accountID: UUID) -> ThrottleKey { ThrottleKey("second-factor", accountID.uuidString, secrets: secrets) }

    /// Mail anyone may ask us to send (registration, reset, confirmation) is limited per address and
    /// per client, so nobody can use us to flood a mailbox.
    func limitMail(to address: String) async throws {
        let throttles = request.throttles
        // One client asking for one address is slowed first, so an attacker who keeps asking blocks
        // themselves, not the owner asking from elsewhere; the address-wide count is looser.
        let client = request.throttleClient
        // A signed-in assistant's desk is counted as its point, not as its (shared) network.
        let sender = request.currentAccount.flatMap { $0.kind == .assistant ? $0.$servicePoint.id : nil }
            .map { (ThrottleKey("mail-from-point", $0.uuidString, secrets: secrets), ThrottlePolicy.mailFromPoint) }
            ?? (ThrottleKey("mail-from", client, secrets: secrets), .mailFromClient)
        for (key, policy) in [(ThrottleKey("mail-to-from", address + "|" + client, secrets: secrets), ThrottlePolicy.mailToAddress),
                              (ThrottleKey("mail-to", address, secrets: secrets), .mailToAddressAnywhere), sender] {
            if let until = try await throttles.attempt(key, policy) {
                let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
                throw AppError(status: .tooManyRequests, key: "mail.limited", arguments: ["count": String(minutes)],
                               retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
        }
    }

    /// The same words for an unknown and a known account.
    func blockedError(until: Date) -> AppError {
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        return AppError(status: .tooManyRequests, key: "signin.blocked", arguments: ["count": String((seconds + 59) / 60)],
                        retryAfter: seconds)
    }

    // MARK: Passwords

    func passwordProblem(_ password: String, email: String?) -> String? {
        request.dependencies.passwordPolicy.problems(password: password, email: email).first.map { request.t($0.rawValue) }
    }

    func hashPassword(_ password: String) async throws -> String {
        try await request.dependencies.passwordHasher.hash(password, on: request.application.threadPool)
    }

    /// Runs bcrypt even when there is no account, so timing does not tell whether one exists.
    func passwordMatches(_ password: String, account: Account?) async throws -> Bool {
        let hasher = request.dependencies.passwordHasher
        let pool = request.application.threadPool
        guard let hash = account?.passwordHash else {
            _ = try await hasher.verify(password, against: request.application.dummyPasswordHash, on: pool)
            return false
        }
        return try await hasher.verify(password, against: hash, on: pool)
    }
}

extension Request {
    var accounts: AccountService { AccountService(request: self) }

    /// Only paths on this site, so a crafted link cannot bounce a person elsewhere after sign-in.
    /// Browsers drop tabs and line breaks from URLs (`/\t/evil.example` becomes `//evil.example`),
    /// so only plain path and query characters are allowed at all.
    func safeNextPath(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), raw.count < 200 else { return nil }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-._~?=&%+"))
        guard raw.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else { return nil }
        return raw
    }
}

extension Application {
    private struct DummyHashKey: StorageKey { typealias Value = String }

    /// A real bcrypt hash of nothing in particular, compared against when an account does not exist.
    var dummyPasswordHash: String {
        get { storage[DummyHashKey.self] ?? "" }
        set { storage[DummyHashKey.self] = newValue }
    }
}
