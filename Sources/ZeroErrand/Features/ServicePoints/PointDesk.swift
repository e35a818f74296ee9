import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The rules of helping a visitor at a service point's desk, shared by the desk's pages and every
/// case route an assistant reaches: the visitor's permission given with their own password and
/// second factor, checked through `RecordAccess.pointRefusal` on each request, ended by the
/// visitor (any time) or by the desk (when the visit is over).
struct PointDesk {
    let request: Request

    /// The signed-in assistant's point; the desk is nobody else's.
    func point() async throws -> ServicePoint {
        let account = try request.requireAccount()
        guard account.kind == .assistant, let point = try await account.$servicePoint.get(on: request.db) else { throw AppError.notFound }
        return point
    }

    /// The assistant's point's permissions from this visitor, newest first.
    private func permissions(from visitor: UUID) async throws -> [PointPermission] {
        guard let point = try request.requireAccount().$servicePoint.id else { return [] }
        return try await PointPermission.query(on: request.db).filter(\.$point.$id == point).filter(\.$visitor.$id == visitor)
            .sort(\.$createdAt, .descending).all()
    }

    /// The assistant may take `action` on this visitor's case now, or is told why not: a case no
    /// permission of their point ever reached is a case that does not exist (404); one they worked
    /// under a permission that has ended, or an act only the visitor may do, is refused as such (403).
    /// Opening it is audited and shows in the visitor's access log.
    func requireAccess(to record: Case, for action: ProxyAction) async throws {
        let actor = try request.requireAccount().actor
        let permissions = try await permissions(from: record.$applicant.id)
        let refusals = permissions.map {
            RecordAccess.pointRefusal(actor, $0.facts, for: record.accessFacts, action: action, matterCode: record.matter.code, now: request.now)
        }
        if refusals.contains(where: { $0 == nil }) {
            if action == .view { try await CaseAccess.auditView(request, of: record) }
            return
        }
        if refusals.contains(.visitorOnly) { throw AppError(status: .forbidden, key: "point.refused.visitor_only") }
        if refusals.contains(.expired) || refusals.contains(.revoked) {
            // The permission that reached this case has ended; one in force now may be for other matters.
            let otherInForce = zip(permissions, refusals).contains { $1 == .outOfScope && $0.facts.isInForce(at: request.now) }
            throw AppError(status: .forbidden, key: otherInForce ? "point.refused.not_covered" : "point.refused.ended")
        }
        throw AppError.notFound
    }

    /// A permission of the assistant's point, by `:id`, in force or not; others' are not found.
    func permission() async throws -> PointPermission {
        let point = try await point()
        guard let id = request.parameters.get("id", as: UUID.self),
              let permission = try await PointPermission.query(on: request.db).filter(\.$id == id).filter(\.$point.$id == point.requireID())
                .with(\.$visitor).first() else { throw AppError.notFound }
        return permission
    }

    /// The one in force whose visitor and matter are these, for starting an application at the desk.
    func permissionInForce(_ id: UUID?, matter: String) async throws -> PointPermission {
        let actor = try request.requireAccount().actor
        guard let id, let permission = try await PointPermission.query(on: request.db).filter(\.$id == id).with(\.$visitor).first()
        else { throw AppError.notFound }
        switch RecordAccess.pointApplyRefusal(actor, permission.facts, matterCode: matter, now: request.now) {
        case nil: return permission
        case .expired?, .revoked?: throw AppError(status: .forbidden, key: "point.refused.ended")
        // Another point's permission, or another matter: as if it did not exist.
        default: throw AppError.notFound
        }
    }

    /// Permissions of this point in force now, for the desk's list of visitors being helped.
    func inForce() async throws -> [PointPermission] {
        let point = try await point()
        return try await PointPermission.query(on: request.db).filter(\.$point.$id == point.requireID()).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > request.now).with(\.$visitor).sort(\.$createdAt, .descending).limit(50).all()
    }

    struct Grant: Sendable {
        var email, password, code, matter: String
        var hours: Int
    }

    enum GrantOutcome {
        case granted(PointPermission)
        /// Field → message, in the viewer's language.
        case refused([String: String])
    }

    /// The visitor, present at the desk, signs in on the assistant's screen and gives the point the
    /// permission: password and second factor are the visitor's own, checked as at sign-in (the
    /// same throttles, the same audit), and never stored or shown.
    func grant(_ grant: Grant, matter: Matter) async throws -> GrantOutcome {
        let point = try await point()
        let assistant = try request.requireAccount()
        guard PointPermission.durations.contains(grant.hours) else { return .refused(["hours": request.t("point.grant.hours_invalid")]) }
        let visitor: Account
        switch try await request.accounts.checkPassword(grant.password, email: EmailAddress.normalize(grant.email) ?? grant.email, channel: "desk") {
        case .accepted(let account): visitor = account
        case .rejected, .suspended: return .refused(["password": request.t("point.grant.sign_in_failed")])
        case .blocked(let until): throw request.accounts.blockedError(until: until)
        }
        guard visitor.kind == .citizen else { return .refused(["password": request.t("point.grant.not_citizen")]) }
        guard visitor.totpSecret != nil else { return .refused(["code": request.t("point.grant.needs_two_factor")]) }
        let (pointID, assistantID, visitorID) = (try point.requireID(), try assistant.requireID(), try visitor.requireID())
        let now = request.now
        let permission = PointPermission(point: pointID, visitor: visitorID, assistant: assistantID, matters: [matter.code],
                                         createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(grant.hours * 3600)))
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let arguments = ["point": point.name(visitor.appLocale), "matter": matter.name(visitor.appLocale),
                         "until": TimeDisplay.format(permission.expiresAt, in: visitor.zone),
                         "link": SiteURL.accessLog.absolute(config)]
        let outcome = try await request.accounts.withSecondFactor(grant.code, for: visitorID, failureAction: "point_permission.grant_failed",
                                                                  actingAs: visitorID) { db, audit, _ in
            try await permission.create(on: db)
            try await audit.record("point_permission.granted", "point_permission", permission.id!.uuidString.lowercased(),
                                   ["point": point.code, "assistant": assistantID.uuidString.lowercased(), "matters": matter.code,
                                    "expires_at": ISO8601DateFormatter().string(from: permission.expiresAt)])
            try await outbox.enqueue(to: visitor, subjectKey: "mail.point_permission.subject", bodyKey: "mail.point_permission.body",
                                     arguments: arguments, on: db)
            return permission
        }
        switch outcome {
        case .accepted(let permission): return .granted(permission)
        case .rejected: return .refused(["code": request.t("point.grant.code_wrong")])
        case .blocked(let error): throw error
        }
    }

    /// The assistant checked the visitor's passport in person: the photo against the person, the
    /// machine-readable zone typed or scanned (its check digits must hold), the citizen's own valid
    /// Chinese passport. The check is recorded with the point and the assistant, the MRZ sealed, and
    /// gives the visitor level 3 for the matters that accept a point's check, until the passport ends.
    /// Nil when recorded, else field → message.
    func checkPassport(_ permission: PointPermission, mrzText: String, photoMatches: Bool) async throws -> [String: String]? {
        guard permission.facts.isInForce(at: request.now) else { throw AppError(status: .forbidden, key: "point.refused.ended") }
        guard photoMatches else { return ["photo": request.t("desk.passport.photo_required")] }
        let mrz: PassportMRZ
        do { mrz = try PassportMRZ(String(mrzText.prefix(400))) } catch {
            var arguments = error.arguments
            if let field = arguments["field"] { arguments["field"] = request.t("identity.mrz_field.\(field)") }
            return ["mrz": request.t(error.code, arguments)]
        }
        let today = CivilDay(request.now, in: Mandate.zone)
        if let refusal = PointPassportRules.refusal(mrz, today: today) { return ["mrz": request.t("desk.passport.refused.\(refusal.rawValue)")] }
        guard let expiry = PointPassportRules.expiryDay(mrz.expiryDate) else { return ["mrz": request.t("desk.passport.refused.expired")] }
        let check = PassportCheck()
        check.$visitor.id = permission.$visitor.id
        check.$point.id = permission.$point.id
        check.$assistant.id = try request.requireAccount().requireID()
        check.mrzSealed = try request.dependencies.secrets.sealText(mrz.line1 + "\n" + mrz.line2)
        check.documentMasked = PassportCheck.mask(mrz.documentNumber)
        check.holderName = [mrz.surname, mrz.givenNames].filter { !$0.isEmpty }.joined(separator: " ")
        check.expiresOn = expiry.description
        check.checkedAt = request.now
        let point = try await point()
        try await request.audited { db, audit in
            try await check.create(on: db)
            try await Account.query(on: db).filter(\.$id == permission.$visitor.id)
                .set(\.$pointCheckID, to: check.id).set(\.$pointCheckedUntil, to: expiry.description).update()
            try await audit.record("identity.checked_at_point", "passport_check", check.id!.uuidString.lowercased(),
                                   ["point": point.code, "passport": check.documentMasked, "expires_on": check.expiresOn])
        }
        return nil
    }

    /// The desk ends a visit early; the visitor is told by their access log, not by mail (they are there).
    func end(_ permission: PointPermission) async throws {
        guard permission.facts.isInForce(at: request.now) else { return }
        try await close(permission, action: "point_permission.ended")
    }

    /// The visitor takes the permission back, from wherever they are.
    static func revoke(_ permission: PointPermission, on request: Request) async throws {
        guard permission.facts.isInForce(at: request.now) else { return }
        try await PointDesk(request: request).close(permission, action: "point_permission.revoked")
    }

    private func close(_ permission: PointPermission, action: String) async throws {
        let (now, by) = (request.now, try request.requireAccount().requireID())
        try await request.audited { db, audit in
            guard let fresh = try await PointPermission.find(permission.id, on: db), fresh.revokedAt == nil else { return }
            fresh.revokedAt = now
            fresh.$revokedBy.id = by
            try await fresh.update(on: db)
            try await audit.record(action, "point_permission", fresh.id!.uuidString.lowercased())
        }
    }
}

extension Request {
    var pointDesk: PointDesk { PointDesk(request: self) }
}
