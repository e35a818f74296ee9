import Fluent
import Vapor
import ZeroErrandCore

/// An assistant's desk: the point, its clocks, the visitors being helped under their permission,
/// and the form on which a visitor present signs in on the assistant's screen to give it.
struct ServicePointDeskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let desk = routes.grouped(Require(.servicePointDesk))
        desk.get(SiteURL.servicePointDesk.route, use: show)
        desk.post(SiteURL.deskPermissions.route, use: grant)
        desk.get(SiteURL.deskPermission(id: ":id").route, use: permission)
        desk.post(SiteURL.deskPermissionEnd(id: ":id").route, use: end)
        desk.post(SiteURL.deskPassportCheck(id: ":id").route, use: checkPassport)
        desk.on(.POST, SiteURL.deskPhoto(id: ":id").route, body: .collect(maxSize: ByteCount(value: Self.photoFormBytes)), use: photo)
    }

    /// A phone photo is a few megabytes at most; the rules then say whether it will do.
    static let photoFormBytes = 4 * 1024 * 1024

    static func isPhotoPath(_ path: String) -> Bool {
        path.hasPrefix("/service-point/permissions/") && path.hasSuffix("/photo")
    }

    struct GrantForm: Content {
        var email, password, code, matter: String?
        var hours: Int?
        var consent: String?
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await page(req, values: DeskPage.GrantValues(), errors: [:], status: .ok)
    }

    private func page(_ req: Request, values: DeskPage.GrantValues, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let point = try await req.pointDesk.point()
        let now = req.now
        var values = values
        let matters = try await Self.helpedMatters(req)
        values.matters = matters.map { Choice(value: $0.code, label: "\($0.name(req.locale)) (\($0.code))", selected: $0.code == values.matter) }
        values.hoursChoices = PointPermission.durations.map {
            Choice(value: String($0), label: req.t("point.grant.hours_\($0)"), selected: $0 == values.hours)
        }
        let names = Dictionary(uniqueKeysWithValues: matters.map { ($0.code, $0.name(req.locale)) })
        let visitors = try await req.pointDesk.inForce().map { permission in
            DeskPage.Visitor(name: permission.visitor.displayName, matters: permission.matters.map { names[$0] ?? $0 }.joined(separator: ", "),
                             until: TimeDisplay.format(permission.expiresAt, in: point.zone),
                             path: SiteURL.deskPermission(id: permission.id!.uuidString).path,
                             endPath: SiteURL.deskPermissionEnd(id: permission.id!.uuidString).path)
        }
        let page = DeskPage(name: point.name(req.locale), card: req.servicePointCard(point), video: try await DeskVideoController.coming(req, at: point),
                            localTime: TimeDisplay.format(now, in: point.zone),
                            homeTime: TimeDisplay.format(now, in: TimeZone(identifier: "Asia/Shanghai")!),
                            visitors: visitors, grant: FormPage(values: values, errors: errors,
                                                                formError: errors.isEmpty ? nil : req.t("form.fix_errors")))
        return try await req.page("service-points/desk", page, title: "desk.title", status: status)
    }

    /// The matters a point helps with (the catalogue's "at an overseas service point").
    static func helpedMatters(_ req: Request) async throws -> [Matter] {
        try await Matter.query(on: req.db).sort(\.$code).all().filter { $0.channels.contains(.overseasPoint) }
    }

    @Sendable func grant(req: Request) async throws -> Response {
        let form = try req.content.decode(GrantForm.self)
        var values = DeskPage.GrantValues(email: String((form.email ?? "").prefix(254)), matter: form.matter ?? "", hours: form.hours ?? 2)
        var errors: [String: String] = [:]
        let matter = try await Self.helpedMatters(req).first { $0.code == form.matter }
        if matter == nil { errors["matter"] = req.t("point.grant.matter_required") }
        if form.consent != "yes" { errors["consent"] = req.t("point.grant.consent_required") }
        if (form.email ?? "").isEmpty || (form.password ?? "").isEmpty { errors["password"] = req.t("point.grant.sign_in_failed") }
        if (form.code ?? "").isEmpty { errors["code"] = req.t("point.grant.code_wrong") }
        if errors.isEmpty, let matter {
            let grant = PointDesk.Grant(email: form.email ?? "", password: form.password ?? "", code: form.code ?? "",
                                        matter: matter.code, hours: values.hours)
            switch try await req.pointDesk.grant(grant, matter: matter) {
            case .granted(let permission):
                return req.redirect(to: .deskPermission(id: permission.id!.uuidString))
            case .refused(let refused):
                errors = refused
            }
        }
        values.email = values.email.formText
        return try await page(req, values: values, errors: errors, status: .unprocessableEntity)
    }

    struct PassportForm: Content {
        var mrz: String?
        var photoMatches: String?
    }

    @Sendable func checkPassport(req: Request) async throws -> Response {
        let permission = try await req.pointDesk.permission()
        let form = try req.content.decode(PassportForm.self)
        if let errors = try await req.pointDesk.checkPassport(permission, mrzText: form.mrz ?? "", photoMatches: form.photoMatches == "yes") {
            return try await permissionPage(req, permission, passportErrors: errors, mrz: String((form.mrz ?? "").prefix(400)))
        }
        return req.redirect(to: SiteURL.deskPermission(id: permission.id!.uuidString).path + "#passport", redirectType: .normal)
    }

    struct PhotoForm: Content {
        var caseID: UUID?
        var photo: File?
    }

    @Sendable func photo(req: Request) async throws -> Response {
        let permission = try await req.pointDesk.permission()
        let form = try req.content.decode(PhotoForm.self)
        guard let caseID = form.caseID else { throw AppError.badRequest }
        guard let file = form.photo, file.data.readableBytes > 0 else {
            return try await permissionPage(req, permission, photo: (caseID, [req.t("photo.problem.no_file")]))
        }
        let problems = try await DeskPhoto.take(req, permission: permission, caseID: caseID, bytes: Array(buffer: file.data))
        if !problems.isEmpty { return try await permissionPage(req, permission, photo: (caseID, problems)) }
        return req.redirect(to: SiteURL.deskPermission(id: permission.id!.uuidString).path + "?photo=" + caseID.uuidString + "#cases",
                            redirectType: .normal)
    }

    @Sendable func permission(req: Request) async throws -> Response {
        try await permissionPage(req, try await req.pointDesk.permission())
    }

    private func permissionPage(_ req: Request, _ permission: PointPermission, passportErrors: [String: String] = [:],
                                mrz: String = "", photo: (caseID: UUID, problems: [String])? = nil) async throws -> Response {
        let point = try await req.pointDesk.point()
        let inForce = permission.facts.isInForce(at: req.now)
        let matters = try await Matter.query(on: req.db).filter(\.$code ~~ permission.matters).all()
        // Only the cases the permission reaches, and only while it lasts.
        let cases = inForce ? try await Case.query(on: req.db).filter(\.$applicant.$id == permission.$visitor.id)
            .join(Matter.self, on: \Case.$matter.$id == \Matter.$id).filter(Matter.self, \.$code ~~ permission.matters)
            .withCatalogueMatter(req.catalogue).sort(\.$createdAt, .descending).limit(50).all() : []
        let page = DeskPermissionPage(
            visitor: permission.visitor.displayName, inForce: inForce,
            matters: matters.map { DeskPermissionPage.MatterLink(name: $0.name(req.locale),
                                                                  applyPath: SiteURL.apply(code: $0.code).path + "?permission=" + permission.id!.uuidString) },
            until: TimeDisplay.format(permission.expiresAt, in: point.zone),
            cases: cases.map { record in
                let photoOpen = DeskPhoto.materialIndex(of: record.matter).map {
                    CaseWorkflow.applicantMayUpload(.material, material: $0, to: record)
                } ?? false
                let passed = (try? req.query.get(UUID.self, at: "photo")) == record.id
                return DeskPermissionPage.CaseLine(
                    row: CaseRow(path: SiteURL.caseDetail(id: record.id!.uuidString).path, number: record.number,
                                 matter: record.matter.name(req.locale), status: req.t("case_status.\(record.status.rawValue)"),
                                 statusCode: record.status.rawValue, updated: TimeDisplay.format(record.updatedAt, in: point.zone),
                                 due: record.dueOn, overdue: false, assignee: nil),
                    caseID: record.id!.uuidString, photoPath: photoOpen ? SiteURL.deskPhoto(id: permission.id!.uuidString).path : nil,
                    photoProblems: photo?.caseID == record.id ? photo?.problems ?? [] : [],
                    photoPassed: passed ? req.t("photo.passed", ["number": record.number]) : nil)
            },
            endPath: SiteURL.deskPermissionEnd(id: permission.id!.uuidString).path,
            passport: try await passportState(req, visitor: permission.visitor, point: point),
            passportPath: SiteURL.deskPassportCheck(id: permission.id!.uuidString).path,
            passportForm: FormPage(values: DeskPermissionPage.PassportValues(mrz: mrz), errors: passportErrors,
                                   formError: passportErrors.isEmpty ? nil : req.t("form.fix_errors")))
        return try await req.page("service-points/permission", page, title: "desk.permission.title",
                                  status: passportErrors.isEmpty && (photo?.problems.isEmpty ?? true) ? .ok : .unprocessableEntity)
    }

    /// "Passport E1****678 checked at Madrid … on …, valid until …", or nil when never checked.
    private func passportState(_ req: Request, visitor: Account, point: ServicePoint) async throws -> String? {
        guard let id = visitor.pointCheckID,
              let check = try await PassportCheck.query(on: req.db).filter(\.$id == id).with(\.$point).first() else { return nil }
        return req.t("desk.passport.checked", ["passport": check.documentMasked, "name": check.holderName, "point": check.point.name(req.locale),
                                                "when": TimeDisplay.format(check.checkedAt, in: point.zone), "until": check.expiresOn])
    }

    @Sendable func end(req: Request) async throws -> Response {
        let permission = try await req.pointDesk.permission()
        try await req.pointDesk.end(permission)
        return req.redirect(to: .servicePointDesk)
    }
}

struct DeskPage: Encodable {
    struct Visitor: Encodable {
        let name, matters, until, path, endPath: String
    }

    struct GrantValues: Encodable {
        var email = ""
        var matter = ""
        var hours = 2
        var matters: [Choice] = []
        var hoursChoices: [Choice] = []
    }

    let name: String
    let card: ServicePointCard
    /// Video sessions citizens take in this point's room.
    let video: [DeskVideoController.Line]
    let localTime: String
    let homeTime: String
    let visitors: [Visitor]
    let grant: FormPage<GrantValues>
}

struct DeskPermissionPage: Encodable {
    struct MatterLink: Encodable {
        let name, applyPath: String
    }

    let visitor: String
    let inForce: Bool
    let matters: [MatterLink]
    let until: String
    let cases: [CaseLine]
    let endPath: String

    /// A case, and where its ID photo is taken when it still needs one.
    struct CaseLine: Encodable {
        let row: CaseRow
        let caseID: String
        let photoPath: String?
        let photoProblems: [String]
        let photoPassed: String?
    }

    /// The visitor's passport check in person, when there is one.
    let passport: String?
    let passportPath: String
    let passportForm: FormPage<PassportValues>

    struct PassportValues: Encodable {
        var mrz = ""
    }
}
