import Fluent
import Vapor
import ZeroErrandCore

/// Administrators keep the directory of offices.
struct DepartmentAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(Require(.manageDirectory))
        admin.get(SiteURL.adminDepartments.route, use: list)
        admin.get(SiteURL.adminDepartmentNew.route, use: newForm)
        admin.post(SiteURL.adminDepartments.route, use: create)
        admin.get(SiteURL.adminDepartment(id: ":id").route, use: editForm)
        admin.post(SiteURL.adminDepartment(id: ":id").route, use: update)
    }

    struct DepartmentForm: Content {
        var code: String?
        var kind: String?
        var parent: String?
        var nameZh: String?
        var nameEn: String?
        var cityZh: String?
        var cityEn: String?
        var timeZone: String?
        var bookingNoticeHours: String?
        var changeNoticeHours: String?
    }

    @Sendable func list(req: Request) async throws -> Response {
        let departments = try await Department.query(on: req.db).sort(\.$code).all()
        let names = Dictionary(uniqueKeysWithValues: departments.map { ($0.id!, $0.name(req.locale)) })
        let rows = departments.map {
            DepartmentRow(path: SiteURL.adminDepartment(id: $0.id!.uuidString).path, code: $0.code, name: $0.name(req.locale),
                          kind: req.t("department_kind.\($0.kind)"), parent: $0.$parent.id.flatMap { names[$0] } ?? "",
                          timeZone: $0.timeZone)
        }
        return try await req.page("admin/departments", rows, title: "departments.title")
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await render(req, FormPage(values: DepartmentFormValues(isNew: true, action: SiteURL.adminDepartments.path)), current: nil)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let department = try await find(req)
        var values = DepartmentFormValues(isNew: false, action: SiteURL.adminDepartment(id: department.id!.uuidString).path)
        values.code = department.code
        values.kind = department.kind
        values.parent = department.$parent.id?.uuidString ?? ""
        values.nameZh = department.nameZh
        values.nameEn = department.nameEn
        values.cityZh = department.cityZh
        values.cityEn = department.cityEn
        values.timeZone = department.timeZone
        values.bookingNoticeHours = String(department.bookingNoticeHours)
        values.changeNoticeHours = String(department.changeNoticeHours)
        return try await render(req, FormPage(values: values), current: department)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await save(req, department: nil)
    }

    @Sendable func update(req: Request) async throws -> Response {
        try await save(req, department: try await find(req))
    }

    private func save(_ req: Request, department existing: Department?) async throws -> Response {
        let form = try req.content.decode(DepartmentForm.self)
        var values = DepartmentFormValues(isNew: existing == nil,
                                          action: existing.map { SiteURL.adminDepartment(id: $0.id!.uuidString).path } ?? SiteURL.adminDepartments.path)
        values.code = existing?.code ?? form.code ?? ""
        values.kind = form.kind ?? ""
        values.parent = form.parent ?? ""
        values.nameZh = form.nameZh ?? ""
        values.nameEn = form.nameEn ?? ""
        values.cityZh = form.cityZh ?? ""
        values.cityEn = form.cityEn ?? ""
        values.timeZone = form.timeZone ?? ""
        values.bookingNoticeHours = form.bookingNoticeHours.nonEmpty ?? String(existing?.bookingNoticeHours ?? 2)
        values.changeNoticeHours = form.changeNoticeHours.nonEmpty ?? String(existing?.changeNoticeHours ?? 12)
        var errors = AdminValidation.required(["nameZh": values.nameZh, "nameEn": values.nameEn, "cityZh": values.cityZh,
                                               "cityEn": values.cityEn], req)
        if existing == nil {
            if !AdminValidation.isCode(values.code) { errors["code"] = req.t("field.code_invalid") }
            else if try await Department.query(on: req.db).filter(\.$code == values.code).first() != nil { errors["code"] = req.t("field.code_taken") }
        }
        if !Department.kinds.contains(values.kind) { errors["kind"] = req.t("field.invalid_choice") }
        if TimeZone(identifier: values.timeZone) == nil { errors["timeZone"] = req.t("field.time_zone_invalid") }
        // Notice for video appointments, in hours: at most two weeks.
        let bookingNotice = Int(values.bookingNoticeHours).flatMap { (0...336).contains($0) ? $0 : nil }
        let changeNotice = Int(values.changeNoticeHours).flatMap { (0...336).contains($0) ? $0 : nil }
        if bookingNotice == nil { errors["bookingNoticeHours"] = req.t("field.hours_invalid") }
        if changeNotice == nil { errors["changeNoticeHours"] = req.t("field.hours_invalid") }
        var parentID: UUID?
        if !values.parent.isEmpty {
            parentID = UUID(uuidString: values.parent)
            if parentID == existing?.id, existing != nil { errors["parent"] = req.t("field.invalid_choice") }
            else if try await !Department.exists(parentID, on: req.db) {
                errors["parent"] = req.t("field.invalid_choice")
            }
        }
        guard errors.isEmpty else {
            return try await render(req, FormPage(values: values, errors: errors), current: existing, status: .unprocessableEntity)
        }
        let department = existing ?? Department.new()
        department.code = values.code
        department.kind = values.kind
        department.$parent.id = parentID
        department.nameZh = values.nameZh.trimmingCharacters(in: .whitespaces)
        department.nameEn = values.nameEn.trimmingCharacters(in: .whitespaces)
        department.cityZh = values.cityZh.trimmingCharacters(in: .whitespaces)
        department.cityEn = values.cityEn.trimmingCharacters(in: .whitespaces)
        department.timeZone = values.timeZone
        department.bookingNoticeHours = bookingNotice ?? 2
        department.changeNoticeHours = changeNotice ?? 12
        try await req.audited { db, audit in
            try await department.save(on: db)
            try await audit.record(existing == nil ? "department.created" : "department.updated", "department",
                                   department.id!.uuidString.lowercased(), ["code": department.code])
        }
        return req.redirect(to: .adminDepartments)
    }

    private func render(_ req: Request, _ form: FormPage<DepartmentFormValues>, current: Department?,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        var form = form
        form.values.kinds = Department.kinds.map { Choice(value: $0, label: req.t("department_kind.\($0)"), selected: $0 == form.values.kind) }
        form.values.parents = try await Department.query(on: req.db).sort(\.$code).all()
            .filter { $0.id != current?.id }
            .map { Choice(value: $0.id!.uuidString, label: $0.name(req.locale), selected: $0.id?.uuidString == form.values.parent) }
        return try await req.page("admin/department-form", form, title: form.values.isNew ? "departments.new" : "departments.edit", status: status)
    }

    private func find(_ req: Request) async throws -> Department {
        try await Department.find(routeParameter: "id", in: req)
    }
}
