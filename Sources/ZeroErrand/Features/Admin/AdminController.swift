import Fluent
import Vapor
import ZeroErrandCore

/// The administrator's start page and the audit log.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(Require(.manageDirectory)).get(SiteURL.admin.route, use: home)
        routes.grouped(Require(.readAuditLog)).get(SiteURL.adminAudit.route, use: audit)
    }

    @Sendable func home(req: Request) async throws -> Response {
        let page = AdminHomePage(
            departmentCount: try await Department.query(on: req.db).count(),
            staffCount: try await Account.query(on: req.db).filter(\.$kind != .citizen).count(),
            servicePointCount: try await ServicePoint.query(on: req.db).count(),
            matterCount: try await Matter.query(on: req.db).count(),
            auditEventCount: try await AuditHead.find(1, on: req.db)?.sequence ?? 0,
            deadMail: try await OutboxMail.query(on: req.db).filter(\.$deadAt != nil).sort(\.$deadAt, .descending).limit(50).all().map {
                DeadMailRow(to: $0.toAddress, subject: $0.subject, written: req.showTime($0.createdAt), attempts: $0.attempts,
                            lastError: $0.lastError ?? "")
            })
        return try await req.page("admin/home", page, title: "admin.title")
    }

    struct AuditQuery: Content {
        var before: Int64?
        /// Verifying reads the whole log, so it runs when asked for, not on every page view.
        var verify: Bool?
    }

    @Sendable func audit(req: Request) async throws -> Response {
        let pageSize = 50
        let query = try req.query.decode(AuditQuery.self)
        let builder = AuditEvent.query(on: req.db).sort(\.$id, .descending).limit(pageSize)
        if let before = query.before { builder.filter(\.$id < before) }
        let events = try await builder.all()
        let report = query.verify == true
            ? try await AuditVerifier.verify(on: req.db, key: req.dependencies.secrets.auditKey) : nil
        let rows = events.map { event in
            AuditRow(sequence: event.id ?? 0, time: req.showTime(event.occurredAt), actor: event.actor, action: event.action,
                     object: "\(event.objectType) \(event.objectID)", clientAddress: event.clientAddress, details: event.details)
        }
        let status = report.map { report in
            report.firstBreak.map { req.t("audit.broken", ["problem": req.t($0.translationKey, ["sequence": String($0.sequence)])]) }
                ?? req.t("audit.intact", ["count": String(report.eventCount)])
        }
        let older = events.count == pageSize ? events.last?.id.map { SiteURL.adminAudit.path + "?before=\($0)" } : nil
        return try await req.page("admin/audit", AuditPage(rows: rows, chainStatus: status, chainIntact: report?.firstBreak == nil,
                                                           verifyPath: SiteURL.adminAudit.path + "?verify=true", olderPath: older),
                                  title: "audit.title")
    }
}
