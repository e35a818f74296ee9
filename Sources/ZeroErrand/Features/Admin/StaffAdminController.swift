import Fluent
import Vapor
import ZeroErrandCore

/// Administrators create staff, assistant and administrator accounts, set their office and roles,
/// and suspend them. A new account gets an emailed invitation to choose a password.
struct StaffAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(Require(.manageDirectory))
        admin.get(SiteURL.adminStaff.route, use: list)
        admin.get(SiteURL.adminStaffNew.route, use: newForm)
        admin.post(SiteURL.adminStaff.route, use: create)
        admin.get(SiteURL.adminStaffMember(id: ":id").route, use: editForm)
        admin.post(SiteURL.adminStaffMember(id: ":id").route, use: update)
        admin.post(SiteURL.adminStaffSuspension(id: ":id").route, use: toggleSuspension)
    }

    struct StaffForm: Content {
        var email: String?
        var displayName: String?
        var kind: String?
        var department: String?
        var servicePoint: String?
        var roles: [String]?
    }

    static let staffKinds: [AccountKind] = [.staff, .assistant, .admin]

    @Sendable func list(req: Request) async throws -> Response {
        let accounts = try await Account.query(on: req.db).filter(\.$kind != .citizen)
            .with(\.$department).with(\.$servicePoint).sort(\.$email).all()
        let rows = accounts.map { account in
            StaffRow(path: SiteURL.adminStaffMember(id: account.id!.uuidString).path, name: account.displayName, email: account.email,
                     kind: req.t("kind.\(account.kind.rawValue)"),
                     place: account.department?.name(req.locale) ?? account.servicePoint?.name(req.locale) ?? "",
                     roles: account.roles.map { req.t("role.\($0.rawValue)") }.joined(separator: ", "),
                     status: req.t(account.suspendedAt != nil ? "staff.suspended" : (account.passwordHash == nil ? "staff.invited" : "staff.active")),
                     secondFactor: account.hasSecondFactor)
        }
        return try await req.page("admin/staff", rows, title: "staff.title")
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await render(req, FormPage(values: StaffFormValues(isNew: true, action: SiteURL.adminStaff.path)), roles: [], department: nil, point: nil)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let account = try await find(req)
        return try await render(req, FormPage(values: values(for: account)), roles: account.roles,
                                department: account.$department.id, point: account.$servicePoint.id)
    }

    private func values(for account: Account) -> StaffFormValues {
        var values = StaffFormValues(isNew: false, action: SiteURL.adminStaffMember(id: account.id!.uuidString).path)
        values.email = account.email
        values.displayName = account.displayName
        values.kind = account.kind.rawValue
        values.suspended = account.suspendedAt != nil
        values.suspensionPath = SiteURL.adminStaffSuspension(id: account.id!.uuidString).path
        return values
    }

    @Sendable func create(req: Request) async throws -> Response { try await save(req, existing: nil) }

    @Sendable func update(req: Request) async throws -> Response { try await save(req, existing: try await find(req)) }

    private func save(_ req: Request, existing: Account?) async throws -> Response {
        let form = try req.content.decode(StaffForm.self)
        var values = existing.map(values(for:)) ?? StaffFormValues(isNew: true, action: SiteURL.adminStaff.path)
        if existing == nil { values.email = form.email ?? "" }
        values.displayName = form.displayName ?? ""
        values.kind = form.kind ?? ""
        var errors = AdminValidation.required(["displayName": values.displayName], req, limit: 100)
        let email = existing?.email ?? EmailAddress.normalize(values.email)
        if email == nil { errors["email"] = req.t("field.email_invalid") }
        else if existing == nil, try await Account.query(on: req.db).filter(\.$email == email!).first() != nil {
            errors["email"] = req.t("field.email_taken")
        }
        let kind = AccountKind(rawValue: values.kind).flatMap { Self.staffKinds.contains($0) ? $0 : nil }
        if kind == nil { errors["kind"] = req.t("field.invalid_choice") }
        let roles = (form.roles ?? []).compactMap(StaffRole.init(rawValue:))
        let departmentID = form.department.nonEmpty.flatMap(UUID.init(uuidString:))
        let pointID = form.servicePoint.nonEmpty.flatMap(UUID.init(uuidString:))
        switch kind {
        case .staff:
            if try await !Department.exists(departmentID, on: req.db) { errors["department"] = req.t("staff.needs_department") }
            if roles.isEmpty { errors["roles"] = req.t("staff.needs_role") }
        case .assistant:
            if try await !ServicePoint.exists(pointID, on: req.db) { errors["servicePoint"] = req.t("staff.needs_service_point") }
        default: break
        }
        if existing?.id == req.currentAccount?.id, kind != .admin { errors["kind"] = req.t("staff.cannot_demote_self") }
        guard errors.isEmpty, let kind, let email else {
            return try await render(req, FormPage(values: values, errors: errors), roles: roles, department: departmentID, point: pointID,
                                    status: .unprocessableEntity)
        }

        let account = existing ?? Account(email: email, displayName: "", kind: kind, passwordHash: nil, locale: req.locale,
                                          timeZone: "Asia/Shanghai", createdAt: req.now)
        account.displayName = values.displayName.trimmingCharacters(in: .whitespaces)
        account.kind = kind
        // An assistant may be their point's supervisor (the walk-in queue's daily figures); no other role.
        account.roles = kind == .staff ? roles : kind == .assistant ? roles.filter { $0 == .supervisor } : []
        account.$department.id = kind == .staff ? departmentID : nil
        account.$servicePoint.id = kind == .assistant ? pointID : nil
        if kind == .staff, let departmentID, let department = try await Department.find(departmentID, on: req.db) {
            account.timeZone = department.timeZone
        } else if kind == .assistant, let pointID, let point = try await ServicePoint.find(pointID, on: req.db) {
            account.timeZone = point.timeZone
        }
        let service = req.accounts
        let outbox = req.application.outbox
        // As stored before this change (`account` is already edited in memory).
        let previousDepartment: UUID? = if let id = existing?.id { try await Account.find(id, on: req.db)?.$department.id } else { nil }
        try await req.audited { db, audit in
            try await account.save(on: db)
            let id = account.id!.uuidString.lowercased()
            let details = ["kind": kind.rawValue, "roles": account.roles.map(\.rawValue).joined(separator: ","),
                           "department": account.$department.id?.uuidString.lowercased() ?? "",
                           "service_point": account.$servicePoint.id?.uuidString.lowercased() ?? ""]
            if existing == nil {
                let token = try await service.issueToken(.invitation, for: account, on: db)
                try await outbox.enqueue(to: account, subjectKey: "mail.invitation.subject", bodyKey: "mail.invitation.body",
                                         arguments: ["name": account.displayName, "link": service.link(.resetPassword, token: token), "code": token],
                                         on: db)
                try await audit.record("staff.created", "account", id, details)
            } else {
                try await audit.record("staff.updated", "account", id, details)
            }
        }
        if let id = existing?.id, previousDepartment != account.$department.id {
            // The old office's rooms are no longer theirs: their sockets there close now.
            await req.application.videoRooms.disconnect(account: id)
        }
        return req.redirect(to: .adminStaff)
    }

    /// Suspending ends every session of the account at once.
    @Sendable func toggleSuspension(req: Request) async throws -> Response {
        let account = try await find(req)
        guard account.id != req.currentAccount?.id else { throw AppError(status: .badRequest, key: "staff.cannot_suspend_self") }
        let now = req.now
        try await req.audited { db, audit in
            let suspending = account.suspendedAt == nil
            account.suspendedAt = suspending ? now : nil
            try await account.update(on: db)
            if suspending { try await AccountService.endAllSessions(of: account.requireID(), on: db) }
            try await audit.record(suspending ? "account.suspended" : "account.reactivated", "account", account.id!.uuidString.lowercased())
        }
        if account.suspendedAt != nil { await req.application.videoRooms.disconnect(account: try account.requireID()) }
        return req.redirect(to: .adminStaffMember(id: account.id!.uuidString))
    }

    private func render(_ req: Request, _ form: FormPage<StaffFormValues>, roles: [StaffRole], department: UUID?, point: UUID?,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        var form = form
        form.values.kinds = Self.staffKinds.map { Choice(value: $0.rawValue, label: req.t("kind.\($0.rawValue)"), selected: $0.rawValue == form.values.kind) }
        form.values.roles = StaffRole.allCases.map { Choice(value: $0.rawValue, label: req.t("role.\($0.rawValue)"), selected: roles.contains($0)) }
        form.values.departments = try await Department.query(on: req.db).sort(\.$code).all()
            .map { Choice(value: $0.id!.uuidString, label: $0.name(req.locale), selected: $0.id == department) }
        form.values.servicePoints = try await ServicePoint.query(on: req.db).sort(\.$code).all()
            .map { Choice(value: $0.id!.uuidString, label: $0.name(req.locale), selected: $0.id == point) }
        return try await req.page("admin/staff-form", form, title: form.values.isNew ? "staff.new" : "staff.edit", status: status)
    }

    /// Citizens are not managed here; their identifiers get the same 404 as unknown ones.
    private func find(_ req: Request) async throws -> Account {
        let account = try await Account.find(routeParameter: "id", in: req)
        guard account.kind != .citizen else { throw AppError.notFound }
        return account
    }
}
