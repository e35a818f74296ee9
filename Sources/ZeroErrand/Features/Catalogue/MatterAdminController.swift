import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Administrators edit a matter; the edit is kept in the database (the catalogue file no longer
/// overwrites it) and audited.
struct MatterAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(Require(.editCatalogue))
        admin.get(SiteURL.adminMatter(code: ":code").route, use: editForm)
        admin.post(SiteURL.adminMatter(code: ":code").route, use: update)
    }

    struct MatterForm: Content {
        var nameZh, nameEn, descriptionZh, descriptionEn, keywordsZh, keywordsEn: String?
        var area, department, identityLevel, timeLimitDays, feeAmount, feeNoteZh, feeNoteEn: String?
        var channels: [String]?
        var materials: [MaterialFormValues]?
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let matter = try await CatalogueController.find(req)
        var values = MatterEditValues(code: matter.code, action: SiteURL.adminMatter(code: matter.code).path,
                                      viewPath: SiteURL.matter(code: matter.code).path)
        values.nameZh = matter.nameZh
        values.nameEn = matter.nameEn
        values.descriptionZh = matter.descriptionZh
        values.descriptionEn = matter.descriptionEn
        values.keywordsZh = matter.keywordsZh.joined(separator: ", ")
        values.keywordsEn = matter.keywordsEn.joined(separator: ", ")
        values.timeLimitDays = String(matter.timeLimitDays)
        values.feeAmount = String(format: "%.2f", Double(matter.feeFen) / 100)
        values.feeNoteZh = matter.feeNoteZh
        values.feeNoteEn = matter.feeNoteEn
        values.materials = matter.materials.map {
            MaterialFormValues(nameZh: $0.nameZh, nameEn: $0.nameEn, descriptionZh: $0.descriptionZh, descriptionEn: $0.descriptionEn,
                               canSupplyLater: $0.canSupplyLater, condition: $0.condition?.rawValue ?? "", providedByMandate: $0.providedByMandate)
        }
        return try await render(req, FormPage(values: values), area: matter.area, departmentID: matter.$department.id,
                                channels: matter.channels, level: matter.identityLevel)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let matter = try await CatalogueController.find(req)
        let form = try req.content.decode(MatterForm.self)
        var values = MatterEditValues(code: matter.code, action: SiteURL.adminMatter(code: matter.code).path,
                                      viewPath: SiteURL.matter(code: matter.code).path)
        values.nameZh = form.nameZh ?? ""
        values.nameEn = form.nameEn ?? ""
        values.descriptionZh = form.descriptionZh ?? ""
        values.descriptionEn = form.descriptionEn ?? ""
        values.keywordsZh = form.keywordsZh ?? ""
        values.keywordsEn = form.keywordsEn ?? ""
        values.timeLimitDays = form.timeLimitDays ?? ""
        values.feeAmount = form.feeAmount ?? ""
        values.feeNoteZh = form.feeNoteZh ?? ""
        values.feeNoteEn = form.feeNoteEn ?? ""
        // A row whose names are both blank is the empty row for adding one; it is not an error.
        let materials = (form.materials ?? []).filter { !$0.remove && !($0.nameZh.isEmpty && $0.nameEn.isEmpty) }
        values.materials = materials

        var errors = AdminValidation.required(["nameZh": values.nameZh, "nameEn": values.nameEn, "feeNoteZh": values.feeNoteZh,
                                               "feeNoteEn": values.feeNoteEn], req)
        errors.merge(AdminValidation.required(["descriptionZh": values.descriptionZh, "descriptionEn": values.descriptionEn], req, limit: 2000)) { $1 }
        let area = MatterArea(rawValue: form.area ?? "")
        if area == nil { errors["area"] = req.t("field.invalid_choice") }
        let departmentID = form.department.nonEmpty.flatMap(UUID.init(uuidString:))
        if try await !Department.exists(departmentID, on: req.db) { errors["department"] = req.t("field.invalid_choice") }
        let channels = (form.channels ?? []).compactMap(HandlingChannel.init(rawValue:))
        if channels.isEmpty || channels.count != (form.channels ?? []).count { errors["channels"] = req.t("matter.needs_channel") }
        let level = Int(form.identityLevel ?? "").flatMap(IdentityLevel.init(rawValue:))
        if level == nil { errors["identityLevel"] = req.t("field.invalid_choice") }
        let days = Int(values.timeLimitDays.trimmingCharacters(in: .whitespaces))
        if days == nil || !(1...365).contains(days!) { errors["timeLimitDays"] = req.t("matter.days_invalid") }
        let fee = Decimal(string: values.feeAmount.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX"))
        if fee == nil || fee! < 0 || fee! > 1_000_000 { errors["feeAmount"] = req.t("matter.fee_invalid") }
        if materials.isEmpty { errors["materials"] = req.t("matter.needs_material") }
        for (index, material) in materials.enumerated() {
            let texts = [material.nameZh, material.nameEn, material.descriptionZh, material.descriptionEn]
            if texts.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 500 }) {
                errors["materials"] = req.t("matter.material_incomplete", ["number": String(index + 1)])
            }
            if !material.condition.isEmpty && MaterialCondition(rawValue: material.condition) == nil { errors["materials"] = req.t("field.invalid_choice") }
        }
        guard errors.isEmpty, let area, let departmentID, let level, let days, let fee else {
            return try await render(req, FormPage(values: values, errors: errors), area: area, departmentID: departmentID,
                                    channels: channels, level: level, status: .unprocessableEntity)
        }

        let keywords = { (text: String) in text.split(whereSeparator: { $0 == "," || $0 == "，" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let nameZh = values.nameZh.trimmingCharacters(in: .whitespaces)
        // The pinyin comes from the catalogue's file (no pinyin library here): a renamed matter has
        // none until the file gives one for its new name, rather than the old name's.
        if nameZh != matter.nameZh { matter.namePinyin = "" }
        matter.nameZh = nameZh
        matter.nameEn = values.nameEn.trimmingCharacters(in: .whitespaces)
        matter.descriptionZh = values.descriptionZh.trimmingCharacters(in: .whitespacesAndNewlines)
        matter.descriptionEn = values.descriptionEn.trimmingCharacters(in: .whitespacesAndNewlines)
        matter.keywordsZh = keywords(values.keywordsZh)
        matter.keywordsEn = keywords(values.keywordsEn)
        matter.area = area
        matter.$department.id = departmentID
        matter.channels = HandlingChannel.allCases.filter(channels.contains)
        matter.identityLevel = level
        matter.timeLimitDays = days
        matter.feeFen = NSDecimalNumber(decimal: fee * 100).intValue
        matter.feeNoteZh = values.feeNoteZh.trimmingCharacters(in: .whitespaces)
        matter.feeNoteEn = values.feeNoteEn.trimmingCharacters(in: .whitespaces)
        matter.materials = materials.map {
            Matter.Material(nameZh: $0.nameZh.trimmingCharacters(in: .whitespaces), nameEn: $0.nameEn.trimmingCharacters(in: .whitespaces),
                            descriptionZh: $0.descriptionZh.trimmingCharacters(in: .whitespaces),
                            descriptionEn: $0.descriptionEn.trimmingCharacters(in: .whitespaces), canSupplyLater: $0.canSupplyLater,
                            condition: MaterialCondition(rawValue: $0.condition), providedByMandate: $0.providedByMandate)
        }
        matter.refreshSearchText()
        matter.editedAt = req.now
        matter.$editedBy.id = req.currentAccount?.id
        try await req.audited { db, audit in
            try await matter.update(on: db)
            try await audit.record("matter.updated", "matter", matter.code)
            try await CatalogueCache.announceEdit(on: db, req.application)
        }
        req.catalogue.drop()
        return req.redirect(to: .matter(code: matter.code))
    }

    private func render(_ req: Request, _ form: FormPage<MatterEditValues>, area: MatterArea?, departmentID: UUID?,
                        channels: [HandlingChannel], level: IdentityLevel?, status: HTTPResponseStatus = .ok) async throws -> Response {
        var form = form
        form.values.areas = MatterArea.allCases.map { Choice(value: $0.rawValue, label: req.t("area.\($0.rawValue)"), selected: $0 == area) }
        form.values.departments = try await Department.query(on: req.db).sort(\.$code).all()
            .map { Choice(value: $0.id!.uuidString, label: $0.name(req.locale), selected: $0.id == departmentID) }
        form.values.channels = HandlingChannel.allCases.map { Choice(value: $0.rawValue, label: req.t("channel.\($0.rawValue)"), selected: channels.contains($0)) }
        form.values.identityLevels = IdentityLevel.allCases.map {
            Choice(value: String($0.rawValue), label: req.t("identity.level\($0.rawValue)"), selected: $0 == level)
        }
        form.values.conditions = [Choice(value: "", label: req.t("matter.form.always_required"), selected: false)]
            + MaterialCondition.allCases.map { Choice(value: $0.rawValue, label: req.t("material_condition.\($0.rawValue).badge"), selected: false) }
        // One empty row for adding a material.
        form.values.materials.append(MaterialFormValues())
        return try await req.page("admin/matter-form", form, title: "matter.edit_title", status: status)
    }
}
