import Fluent
import Vapor
import ZeroErrandCore

/// Administrators keep the list of overseas service points.
struct ServicePointAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(Require(.manageDirectory))
        admin.get(SiteURL.adminServicePoints.route, use: list)
        admin.get(SiteURL.adminServicePointNew.route, use: newForm)
        admin.post(SiteURL.adminServicePoints.route, use: create)
        admin.get(SiteURL.adminServicePoint(id: ":id").route, use: editForm)
        admin.post(SiteURL.adminServicePoint(id: ":id").route, use: update)
    }

    struct PointForm: Content {
        var code, nameZh, nameEn, cityZh, cityEn, country, timeZone, address, contactEmail, contactPhone: String?
    }

    @Sendable func list(req: Request) async throws -> Response {
        let now = req.now
        let rows = try await ServicePoint.query(on: req.db).sort(\.$code).all().map { point in
            ServicePointRow(path: SiteURL.adminServicePoint(id: point.id!.uuidString).path, code: point.code, name: point.name(req.locale),
                            city: point.city(req.locale), country: point.country, timeZone: point.timeZone,
                            localTime: TimeZone(identifier: point.timeZone).map { TimeDisplay.format(now, in: $0) } ?? "")
        }
        return try await req.page("admin/service-points", rows, title: "points.title")
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await req.page("admin/service-point-form", FormPage(values: ServicePointFormValues(isNew: true, action: SiteURL.adminServicePoints.path)),
                           title: "points.new")
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let point = try await find(req)
        return try await req.page("admin/service-point-form", FormPage(values: values(of: point)), title: "points.edit")
    }

    @Sendable func create(req: Request) async throws -> Response { try await save(req, existing: nil) }
    @Sendable func update(req: Request) async throws -> Response { try await save(req, existing: try await find(req)) }

    private func values(of point: ServicePoint) -> ServicePointFormValues {
        ServicePointFormValues(isNew: false, action: SiteURL.adminServicePoint(id: point.id!.uuidString).path, code: point.code,
                               nameZh: point.nameZh, nameEn: point.nameEn, cityZh: point.cityZh, cityEn: point.cityEn,
                               country: point.country, timeZone: point.timeZone, address: point.address,
                               contactEmail: point.contactEmail, contactPhone: point.contactPhone)
    }

    private func save(_ req: Request, existing: ServicePoint?) async throws -> Response {
        let form = try req.content.decode(PointForm.self)
        let trimmed = { (value: String?) in (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let values = ServicePointFormValues(
            isNew: existing == nil,
            action: existing.map { SiteURL.adminServicePoint(id: $0.id!.uuidString).path } ?? SiteURL.adminServicePoints.path,
            code: existing?.code ?? trimmed(form.code), nameZh: trimmed(form.nameZh), nameEn: trimmed(form.nameEn),
            cityZh: trimmed(form.cityZh), cityEn: trimmed(form.cityEn), country: trimmed(form.country).uppercased(),
            timeZone: trimmed(form.timeZone), address: trimmed(form.address), contactEmail: trimmed(form.contactEmail),
            contactPhone: trimmed(form.contactPhone))
        var errors = AdminValidation.required(["nameZh": values.nameZh, "nameEn": values.nameEn, "cityZh": values.cityZh,
                                               "cityEn": values.cityEn, "address": values.address, "contactPhone": values.contactPhone], req)
        if existing == nil {
            if !AdminValidation.isCode(values.code) { errors["code"] = req.t("field.code_invalid") }
            else if try await ServicePoint.query(on: req.db).filter(\.$code == values.code).first() != nil { errors["code"] = req.t("field.code_taken") }
        }
        if values.country.count != 2 || !values.country.allSatisfy({ $0.isASCII && $0.isLetter }) { errors["country"] = req.t("field.country_invalid") }
        if TimeZone(identifier: values.timeZone) == nil { errors["timeZone"] = req.t("field.time_zone_invalid") }
        if EmailAddress.normalize(values.contactEmail) == nil { errors["contactEmail"] = req.t("field.email_invalid") }
        guard errors.isEmpty else {
            return try await req.page("admin/service-point-form", FormPage(values: values, errors: errors),
                                      title: existing == nil ? "points.new" : "points.edit", status: .unprocessableEntity)
        }
        let point = existing ?? ServicePoint()
        point.code = values.code
        point.nameZh = values.nameZh
        point.nameEn = values.nameEn
        point.cityZh = values.cityZh
        point.cityEn = values.cityEn
        point.country = values.country
        point.timeZone = values.timeZone
        point.address = values.address
        point.contactEmail = values.contactEmail
        point.contactPhone = values.contactPhone
        try await req.audited { db, audit in
            try await point.save(on: db)
            try await audit.record(existing == nil ? "service_point.created" : "service_point.updated", "service_point",
                                   point.id!.uuidString.lowercased(), ["code": point.code])
        }
        return req.redirect(to: .adminServicePoints)
    }

    private func find(_ req: Request) async throws -> ServicePoint {
        try await ServicePoint.find(routeParameter: "id", in: req)
    }
}
