import Fluent
import Vapor
import ZeroErrandCore

/// The citizen's notifications, and the page that shows who at which office opened or changed
/// their cases and documents.
struct NotificationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.notifications.route, use: list)
        own.get(SiteURL.accessLog.route, use: accessLog)
        own.post(SiteURL.pointPermissionRevoke(id: ":id").route, use: revokePointPermission)
    }

    struct NotificationLine: Encodable {
        let time: String
        let text: String
        let path: String?
        let unread: Bool
    }

    @Sendable func list(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let notifications = try await AccountNotification.query(on: req.db).filter(\.$account.$id == account.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        let lines = notifications.map { notification in
            NotificationLine(time: req.showTime(notification.createdAt), text: req.t(notification.key, notification.arguments),
                             path: notification.$caseRecord.id.map { SiteURL.caseDetail(id: $0.uuidString).path },
                             unread: notification.readAt == nil)
        }
        // Only when something is unread: a plain page view should not take SQLite's write lock.
        if notifications.contains(where: { $0.readAt == nil }) {
            try await AccountNotification.query(on: req.db).filter(\.$account.$id == account.requireID()).filter(\.$readAt == nil)
                .set(\.$readAt, to: req.now).update()
        }
        return try await req.page("notifications/list", lines, title: "notifications.title")
    }

    struct AccessLine: Encodable {
        let time: String
        let who: String
        let what: String
        let object: String
    }

    /// Audit events about this citizen's cases, their documents and recordings, and their powers of
    /// attorney, by anyone but the citizen (staff, or the relative acting for them).
    /// Staff are named by office and role, not by name.
    @Sendable func accessLog(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let accountID = try account.requireID()
        let cases = try await Case.query(on: req.db).filter(\.$applicant.$id == accountID).all()
        let caseIDs = cases.compactMap(\.id)
        let numbers = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!.uuidString.lowercased(), $0.number) })
        let documents = caseIDs.isEmpty ? [] : try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id ~~ caseIDs).all()
        let documentCase = Dictionary(uniqueKeysWithValues: documents.map { ($0.id!.uuidString.lowercased(), $0.$caseRecord.id.uuidString.lowercased()) })
        // Recordings of their video sessions: who started, stored, watched or deleted them.
        let recordings = caseIDs.isEmpty ? [] : try await VideoRecording.query(on: req.db).filter(\.$caseRecord.$id ~~ caseIDs).all()
        let recordingCase = Dictionary(uniqueKeysWithValues: recordings.map { ($0.id!.uuidString.lowercased(), $0.$caseRecord.id.uuidString.lowercased()) })
        // Their powers of attorney: an office checking the pass or reading the full numbers, the
        // relative accepting (or mistyping the number).
        let mandates = try await Mandate.query(on: req.db).filter(\.$principal.$id == accountID).all()
        let mandateNames = Dictionary(uniqueKeysWithValues: mandates.map {
            ($0.id!.uuidString.lowercased(), req.t("access.object.mandate", ["name": $0.proxyName]))
        })
        // The mediations they are a party to, named by the mediation's case number.
        let mediationParties = try await MediationParty.query(on: req.db).filter(\.$account.$id == accountID)
            .with(\.$mediation) { $0.with(\.$caseRecord) }.all()
        let mediationNumbers = Dictionary(mediationParties.map { ($0.$mediation.id.uuidString.lowercased(), $0.mediation.caseRecord.number) }) { first, _ in first }
        // Their named petitions: which offices opened them, read their evidence, took a step.
        let petitions = try await Petition.query(on: req.db).filter(\.$petitioner.$id == accountID).all()
        let petitionNumbers = Dictionary(uniqueKeysWithValues: petitions.map { ($0.id!.uuidString.lowercased(), $0.number) })
        // The permissions they gave service points: given, ended by the desk, revoked.
        let permissions = try await PointPermission.query(on: req.db).filter(\.$visitor.$id == accountID).with(\.$point)
            .sort(\.$createdAt, .descending).limit(50).all()
        let permissionNames = Dictionary(uniqueKeysWithValues: permissions.map {
            ($0.id!.uuidString.lowercased(), req.t("access.object.point_permission", ["point": $0.point.name(req.locale)]))
        })
        // Their passport checked in person at a service point's desk.
        let passportChecks = try await PassportCheck.query(on: req.db).filter(\.$visitor.$id == accountID).all()
        let checkNames = Dictionary(uniqueKeysWithValues: passportChecks.map {
            ($0.id!.uuidString.lowercased(), req.t("access.object.passport_check") + " " + $0.documentMasked)
        })
        var events: [AuditEvent] = []
        if !caseIDs.isEmpty || !mandates.isEmpty || !mediationNumbers.isEmpty || !petitionNumbers.isEmpty || !permissions.isEmpty {
            events = try await AuditEvent.query(on: req.db).group(.or) { group in
                if !numbers.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "case").filter(\.$objectID ~~ Array(numbers.keys)) }
                }
                if !mandateNames.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "mandate").filter(\.$objectID ~~ Array(mandateNames.keys)) }
                }
                if !documentCase.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "document").filter(\.$objectID ~~ Array(documentCase.keys)) }
                }
                if !mediationNumbers.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "mediation").filter(\.$objectID ~~ Array(mediationNumbers.keys)) }
                }
                if !petitionNumbers.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "petition").filter(\.$objectID ~~ Array(petitionNumbers.keys)) }
                }
                if !checkNames.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "passport_check").filter(\.$objectID ~~ Array(checkNames.keys)) }
                }
                if !permissionNames.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "point_permission").filter(\.$objectID ~~ Array(permissionNames.keys)) }
                }
                if !recordingCase.isEmpty {
                    group.group(.and) { $0.filter(\.$objectType == "video_recording").filter(\.$objectID ~~ Array(recordingCase.keys)) }
                }
            }
            // Others' access; of their own steps only what they consented to: sharing from the wallet,
            // permissions for service points.
            .group(.or) { $0.filter(\.$actor != AuditContext.account(accountID)).filter(\.$action ~~ Self.ownStepsShown) }
            .sort(\.$id, .descending).limit(200).all()
        }
        let actorIDs = Set(events.compactMap { UUID(uuidString: String($0.actor.dropFirst("account:".count))) })
        let actors = actorIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Account.query(on: req.db)
            .filter(\.$id ~~ Array(actorIDs)).with(\.$department).with(\.$servicePoint).all().map { ($0.id!, $0) })
        let lines = events.map { event -> AccessLine in
            let actor = UUID(uuidString: String(event.actor.dropFirst("account:".count))).flatMap { actors[$0] }
            let who = actor.map { actor -> String in
                // A relative acting under a power of attorney is named: the citizen chose them.
                if actor.kind == .citizen {
                    return actor.id == accountID ? req.t("access.you") : req.t("access.relative", ["name": actor.displayName])
                }
                // An assistant is named by their point and by name: the visitor met them at the desk.
                if actor.kind == .assistant {
                    return req.t("access.assistant", ["name": actor.displayName, "point": actor.servicePoint?.name(req.locale) ?? ""])
                }
                let roles = actor.roles.map { req.t("role.\($0.rawValue)") }.joined(separator: ", ")
                return req.t("access.staff", ["office": actor.department?.name(req.locale) ?? req.t("kind.\(actor.kind.rawValue)"), "role": roles])
            } ?? req.t("timeline.system")
            let caseKey = event.objectType == "case" ? event.objectID : (documentCase[event.objectID] ?? recordingCase[event.objectID] ?? "")
            return AccessLine(time: req.showTime(event.occurredAt), who: who, what: req.t("access.action.\(event.action)"),
                              object: numbers[caseKey] ?? mandateNames[event.objectID] ?? (event.objectType == "mediation" ? mediationNumbers[event.objectID] : nil)
                                  ?? (event.objectType == "petition" ? petitionNumbers[event.objectID] : nil)
                                  ?? (event.objectType == "point_permission" ? permissionNames[event.objectID] : nil)
                                  ?? (event.objectType == "passport_check" ? checkNames[event.objectID] : nil) ?? "")
        }
        let now = req.now
        let matterNames = Dictionary(uniqueKeysWithValues: try await Matter.query(on: req.db).filter(\.$code ~~ Set(permissions.flatMap(\.matters)))
            .all().map { ($0.code, $0.name(req.locale)) })
        let given = permissions.map { permission in
            let state = if let ended = permission.revokedAt { req.t("access.permission.ended_at", ["time": req.showTime(ended)]) }
                else if permission.expiresAt <= now { req.t("access.permission.expired_at", ["time": req.showTime(permission.expiresAt)]) }
                else { req.t("access.permission.in_force_until", ["time": req.showTime(permission.expiresAt)]) }
            return AccessLogPage.Permission(point: permission.point.name(req.locale),
                                            matters: permission.matters.map { matterNames[$0] ?? $0 }.joined(separator: req.t("points.list_separator")),
                                            state: state,
                                            revokePath: permission.facts.isInForce(at: now) ? SiteURL.pointPermissionRevoke(id: permission.id!.uuidString).path : nil)
        }
        return try await req.page("notifications/access-log", AccessLogPage(lines: lines, permissions: given), title: "access.title")
    }

    /// The citizen's own steps the access log shows: those that let others in.
    static let ownStepsShown = ["wallet.shared", "point_permission.granted", "point_permission.revoked", "case.confirmed_at_point",
                                "case.visitor_code_failed"]

    struct AccessLogPage: Encodable {
        struct Permission: Encodable {
            let point, matters, state: String
            let revokePath: String?
        }

        let lines: [AccessLine]
        let permissions: [Permission]
    }

    /// The visitor takes back a service point's permission, from wherever they are.
    @Sendable func revokePointPermission(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self),
              let permission = try await PointPermission.find(id, on: req.db),
              RecordAccess.isPointPermissionVisitor(req.currentAccount?.actor, visitor: permission.$visitor.id) else { throw AppError.notFound }
        try await PointDesk.revoke(permission, on: req)
        return req.redirect(to: SiteURL.accessLog.path + "#permissions", redirectType: .normal)
    }
}
