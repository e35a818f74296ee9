import Fluent
import Vapor
import ZeroErrandCore

/// `POST /api/v1/sessions`: an API client signs in with email, password and (when the account has
/// one) a second-factor code, and gets a bearer token. The same throttles and audit as the web.
struct SessionAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(SiteURL.apiSessions.route, use: create)
        routes.grouped(Require(.manageOwnAccount)).delete(SiteURL.apiSessions.route, use: delete)
    }

    struct Credentials: Content {
        var email: String
        var password: String
        var code: String?
    }

    struct TokenDTO: Content {
        let token: String
        let idleTimeoutSeconds: Int
        let absoluteTimeoutSeconds: Int
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(Credentials.self)
        let service = req.accounts
        let failed = AppError(status: .unauthorized, key: "signin.failed")
        guard let email = EmailAddress.normalize(input.email), input.password.count <= PasswordPolicy.maximumLength else { throw failed }
        let account: Account
        switch try await service.checkPassword(input.password, email: email, channel: "api") {
        case .accepted(let accepted): account = accepted
        case .rejected, .suspended: throw failed
        case .blocked(let until): throw service.blockedError(until: until)
        }
        let objectID = try account.requireID().uuidString.lowercased()
        guard account.emailConfirmedAt != nil else {
            try await req.audited { _, audit in
                try await audit.record("sign_in.email_unconfirmed", "account", objectID, ["client": "api"])
            }
            throw AppError(status: .forbidden, key: "signin.email_unconfirmed")
        }
        guard account.hasSecondFactor || !account.mustUseSecondFactor else {
            throw AppError(status: .forbidden, key: "api.enrol_second_factor_first")
        }
        let accountID = try account.requireID()
        let issue = { @Sendable (db: any Database, audit: AuditTrail, factors: String) async throws -> String in
            let token = try await service.createSession(for: account, stage: .signedIn, on: db)
            try await audit.record("sign_in.succeeded", "account", objectID, ["factors": factors, "client": "api"])
            return token
        }
        let token: String
        if account.hasSecondFactor {
            switch try await service.withSecondFactor(input.code, for: accountID, failureAction: "sign_in.failed", actingAs: accountID,
                                                      then: { db, audit, method in try await issue(db, audit, "password+\(method.rawValue)") }) {
            case .accepted(let value): token = value
            case .rejected: throw AppError(status: .unauthorized, key: "twofactor.invalid")
            case .blocked(let error): throw error
            }
        } else {
            token = try await req.audited(actingAs: accountID) { db, audit in try await issue(db, audit, "password") }
        }
        return try await TokenDTO(token: token, idleTimeoutSeconds: Int(SessionPolicy.idleLimit(for: account.kind)),
                                  absoluteTimeoutSeconds: Int(SessionPolicy.absoluteLimit)).encodeResponse(status: .created, for: req)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        if let session = req.signInSession {
            let accountID = session.$account.id
            try await req.audited { db, audit in
                try await session.delete(on: db)
                try await audit.record("sign_out", "account", accountID.uuidString.lowercased(), ["client": "api"])
            }
        }
        return .noContent
    }
}
