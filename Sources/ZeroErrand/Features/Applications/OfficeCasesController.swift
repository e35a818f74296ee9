import Fluent
import SQLKit
import Vapor
import ZeroErrandCore

/// The office's side: its queue, a case's materials, the decisions, the result, the conversation.
/// Every route finds cases only within the staff member's own department.
struct OfficeCasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let office = routes.grouped(Require(.staffWorkspace))
        office.get(SiteURL.officeQueue.route, use: queue)
        office.get(SiteURL.officeCase(id: ":id").route, use: show)
        office.post(SiteURL.officeCaseAction(id: ":id", action: ":action").route, use: act)
        office.post(SiteURL.officeCaseAssignee(id: ":id").route, use: assign)
        office.on(.PUT, SiteURL.officeCaseDocuments(id: ":id").route, body: .stream, use: upload)
        office.get(SiteURL.officeCaseDocument(id: ":id", document: ":document").route, use: download)
        office.post(SiteURL.officeCaseMessages(id: ":id").route, use: message)
        office.grouped(Require { req in .viewDepartmentStaff(departmentID: req.currentAccount?.$department.id ?? UUID()) })
            .get(SiteURL.officeStats.route, use: stats)
    }

    struct QueueQuery: Content {
        var status: String?
        var matter: String?
        /// `overdue`, or a number of days: due within that many days.
        var due: String?
        var mine: Bool?
        var page: Int?
    }

    struct QueuePage: Encodable {
        let rows: [CaseRow]
        let statuses: [Choice]
        let matters: [Choice]
        let dueChoices: [Choice]
        let mine: Bool
        let total: Int
        let pageNumber: Int
        let previousPath: String?
        let nextPath: String?
        let zoneNote: String
    }

    static let pageSize = 50

    /// One query for the rows (with their matter and assignee joined in), one for the count.
    @Sendable func queue(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let department = try await account.$department.get(on: req.db) else {
            throw AppError.notFound
        }
        let query = try req.query.decode(QueueQuery.self)
        let zone = department.zone
        let today = CivilDay(req.now, in: zone)
        // Only cases the citizen has submitted reach the office (a draft withdrawn unsent never does).
        let builder = Case.query(on: req.db).filter(\.$department.$id == departmentID).filter(\.$submittedAt != nil)
        if let status = query.status.nonEmpty {
            guard let status = CaseStatus(rawValue: status) else { throw AppError.badRequest }
            builder.filter(\.$status == status)
        }
        if let code = query.matter.nonEmpty {
            guard let matter = try await Matter.query(on: req.db).filter(\.$code == code).first() else { throw AppError.badRequest }
            builder.filter(\.$matter.$id == (try matter.requireID()))
        }
        switch query.due.nonEmpty {
        case nil: break
        case "overdue"?:
            builder.filter(\.$dueOn < today.description).filter(\.$status ~~ CaseStatus.allCases.filter(\.clockRuns))
        case let days?:
            guard let days = Int(days), (0...365).contains(days) else { throw AppError.badRequest }
            // "Within N days" means working days, as the time limits themselves do.
            let limit = req.dependencies.workingCalendar.addingWorkingDays(days, to: today)
            builder.filter(\.$dueOn <= limit.description).filter(\.$status ~~ CaseStatus.allCases.filter(\.clockRuns))
        }
        if query.mine == true { builder.filter(\.$assignee.$id == account.id) }
        // Counting a column of the queue index (never null) lets SQLite answer from the index alone;
        // COUNT(id) read every matching row (docs/performance.md).
        let total = try await builder.count(\.$status)
        let pageNumber = min(max(1, query.page ?? 1), total / Self.pageSize + 1)
        let records = try await builder.copy().with(\.$matter).with(\.$assignee)
            .sort(\.$dueOn).sort(\.$submittedAt).range(((pageNumber - 1) * Self.pageSize)..<(pageNumber * Self.pageSize)).all()
        let rows = records.map { record in
            CaseRow(path: SiteURL.officeCase(id: record.id!.uuidString).path, number: record.number, matter: record.matter.name(req.locale),
                    status: req.t("case_status.\(record.status.rawValue)"), statusCode: record.status.rawValue,
                    updated: TimeDisplay.format(record.updatedAt, in: zone), due: record.dueOn,
                    overdue: record.status.clockRuns && (record.dueOn.map { $0 < today.description } ?? false),
                    assignee: record.assignee?.displayName)
        }
        let matters = try await Matter.query(on: req.db).filter(\.$department.$id == departmentID).sort(\.$code).all()
        let pageLink = { (number: Int) -> String in
            var items = ["page=\(number)"]
            if let status = query.status.nonEmpty { items.append("status=\(status.queryEncoded)") }
            if let matter = query.matter.nonEmpty { items.append("matter=\(matter.queryEncoded)") }
            if let due = query.due.nonEmpty { items.append("due=\(due.queryEncoded)") }
            if query.mine == true { items.append("mine=true") }
            return SiteURL.officeQueue.path + "?" + items.joined(separator: "&")
        }
        let page = QueuePage(
            rows: rows,
            statuses: CaseStatus.allCases.filter { $0 != .draft }.map { Choice(value: $0.rawValue, label: req.t("case_status.\($0.rawValue)"), selected: $0.rawValue == query.status) },
            matters: matters.map { Choice(value: $0.code, label: $0.name(req.locale), selected: $0.code == query.matter) },
            dueChoices: [("overdue", "queue.due.overdue"), ("0", "queue.due.today"), ("5", "queue.due.week")].map {
                Choice(value: $0.0, label: req.t($0.1), selected: $0.0 == query.due)
            },
            mine: query.mine == true, total: total, pageNumber: pageNumber,
            previousPath: pageNumber > 1 ? pageLink(pageNumber - 1) : nil,
            nextPath: pageNumber * Self.pageSize < total ? pageLink(pageNumber + 1) : nil,
            zoneNote: req.t("case.times_in_zone", ["zone": zone.identifier]))
        return try await req.page("office/queue", page, title: "queue.title")
    }

    @Sendable func show(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req)
        let page = try await CasePresenter(request: req, record: record, role: .office).page()
        if page.messages.contains(where: \.unread) {
            try await CaseMessage.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).filter(\.$fromOffice == false)
                .filter(\.$readAt == nil).set(\.$readAt, to: req.now).update()
        }
        return try await PageRenderer.render("cases/show", page, title: record.number, for: req)
    }

    struct ActionForm: Content {
        var text: String?
        /// YYYY-MM-DD in the office's zone; the end of that day is the deadline.
        var date: String?
        var materials: [Int]?
    }

    @Sendable func act(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req, audit: nil)
        return try await req.onCasePage(record, role: .office, field: "action") { try await perform(req, on: record) }
    }

    private func perform(_ req: Request, on record: Case) async throws -> Response {
        let form = try req.content.decode(ActionForm.self)
        let zone = record.department.zone
        let endOfDay = { () throws -> Date in
            guard let day = form.date.flatMap(CivilDay.init) else { throw AppError(status: .unprocessableEntity, key: "case.error.date_invalid") }
            return day.adding(days: 1).startOfDay(in: zone).addingTimeInterval(-1)
        }
        let text = form.text ?? ""
        let action: CaseAction
        switch req.parameters.get("action") {
        case "accept": action = .accept
        case "accept_provisionally": action = .acceptProvisionally(missing: form.materials ?? [], supplyBy: try endOfDay())
        case "not_accept": action = .notAccept(reason: text)
        case "start_review": action = .startReview
        case "request_supplement":
            action = .requestSupplement(items: text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty },
                                        dueBy: try endOfDay())
        case "approve": action = .approve(note: text)
        case "refuse": action = .refuse(reason: text)
        case "issue_result":
            let results = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).filter(\.$purpose == .result).count()
            guard results > 0 else { throw AppError(status: .unprocessableEntity, key: "case.error.result_missing") }
            action = .issueResult
        case "record_production": action = .recordProduction(note: text)
        case "ready_for_collection": action = .readyForCollection
        case "record_collection": action = .recordCollection(collector: text)
        case "close": action = .close
        default: throw AppError.notFound
        }
        try await req.cases.perform(action, on: record.requireID(), as: .office)
        return req.redirect(to: .officeCase(id: record.id!.uuidString))
    }

    struct AssignForm: Content { var assignee: String? }

    /// Claiming is assigning to oneself; only colleagues of the same office can be assigned.
    @Sendable func assign(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req, audit: nil)
        let form = try req.content.decode(AssignForm.self)
        let me = try req.requireAccount()
        let assigneeID = form.assignee == "me" ? me.id : form.assignee.nonEmpty.flatMap(UUID.init(uuidString:))
        if let assigneeID {
            guard let colleague = try await Account.find(assigneeID, on: req.db), colleague.$department.id == record.$department.id,
                  colleague.suspendedAt == nil else { throw AppError(status: .unprocessableEntity, key: "field.invalid_choice") }
        }
        let caseID = try record.requireID()
        let now = req.now
        try await req.audited { db, audit in
            guard let fresh = try await Case.find(caseID, on: db) else { throw AppError.notFound }
            fresh.$assignee.id = assigneeID
            fresh.updatedAt = now
            try await fresh.update(on: db)
            try await CaseEvent(caseID: caseID, at: now, actorID: me.id, kind: .action, name: assigneeID == nil ? "unassign" : "assign",
                                statusAfter: nil).create(on: db)
            try await audit.record("case.assigned", "case", caseID.uuidString.lowercased(),
                                   ["assignee": assigneeID?.uuidString.lowercased() ?? ""])
        }
        return req.redirect(to: .officeCase(id: caseID.uuidString))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req, audit: nil)
        let purpose: CaseDocument.Purpose = (try? req.query.get(String.self, at: "purpose")) == "attachment" ? .attachment : .result
        let allowed = { @Sendable (current: Case) in
            purpose == .attachment ? current.submittedAt != nil && !current.status.isTerminal : current.status == .approved
        }
        guard allowed(record) else { throw AppError(status: .conflict, key: "upload.not_now") }
        let document = try await DocumentUpload.receive(req, into: record, purpose: purpose, materialIndex: nil, stillAllowed: allowed)
        return try await DocumentDTO(document).encodeResponse(status: .created, for: req)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req, audit: nil)
        let document = try await DocumentUpload.find(req, on: record)
        try await req.audited { _, audit in
            try await audit.record("document.viewed", "document", document.id!.uuidString.lowercased(),
                                   ["case": record.id!.uuidString.lowercased()])
        }
        return try DocumentUpload.send(document, for: req, inline: (try? req.query.get(Int.self, at: "inline")) == 1)
    }

    struct MessageForm: Content { var body: String? }

    @Sendable func message(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req, audit: nil)
        return try await req.onCasePage(record, role: .office, field: "body") {
            try await CaseConversation.post(req, on: record, fromOffice: true, body: try req.content.decode(MessageForm.self).body)
            return req.redirect(to: SiteURL.officeCase(id: record.id!.uuidString).path + "#messages", redirectType: .normal)
        }
    }

    struct StatRow: Encodable {
        let matter: String
        let decided: Int
        let averageDays: String
        let ratings: Int
        let averageRating: String
    }

    /// Per matter: decided cases, average calendar days from submission to decision, ratings.
    /// Ratings are one grouped query; the timings still read every decided case of the office
    /// (three columns each) and should become a GROUP BY too (see docs/performance.md).
    @Sendable func stats(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let sql = req.db as? any SQLDatabase else { throw AppError.notFound }
        let decided = try await Case.query(on: req.db).filter(\.$department.$id == departmentID).filter(\.$decidedAt != nil)
            .field(\.$matter.$id).field(\.$submittedAt).field(\.$decidedAt).all()
        struct RatingRow: Decodable { let matter_id: UUID; let count: Int; let average: Double? }
        let ratings = try await sql.select().column(SQLColumn("matter_id", table: Case.schema))
            .column(SQLFunction("COUNT", args: SQLColumn("score", table: CaseRating.schema)), as: "count")
            .column(SQLFunction("AVG", args: SQLColumn("score", table: CaseRating.schema)), as: "average")
            .from(CaseRating.schema).join(Case.schema, on: SQLColumn("case_id", table: CaseRating.schema), .equal, SQLColumn("id", table: Case.schema))
            .where(SQLColumn("department_id", table: Case.schema), .equal, SQLBind(departmentID))
            .groupBy(SQLColumn("matter_id", table: Case.schema)).all(decoding: RatingRow.self)
        let ratingByMatter = Dictionary(uniqueKeysWithValues: ratings.map { ($0.matter_id, $0) })
        var timing: [UUID: (count: Int, days: Double)] = [:]
        for record in decided {
            guard let submitted = record.submittedAt, let decidedAt = record.decidedAt else { continue }
            let entry = timing[record.$matter.id] ?? (0, 0)
            timing[record.$matter.id] = (entry.count + 1, entry.days + decidedAt.timeIntervalSince(submitted) / 86400)
        }
        let matters = try await Matter.query(on: req.db).filter(\.$department.$id == departmentID).sort(\.$code).all()
        let rows = matters.compactMap { matter -> StatRow? in
            let time = timing[matter.id!], rating = ratingByMatter[matter.id!]
            guard time != nil || rating != nil else { return nil }
            return StatRow(matter: matter.name(req.locale), decided: time?.count ?? 0,
                           averageDays: time.map { String(format: "%.1f", $0.days / Double($0.count)) } ?? "–",
                           ratings: rating?.count ?? 0, averageRating: rating?.average.map { String(format: "%.1f", $0) } ?? "–")
        }
        return try await req.page("office/stats", rows, title: "stats.title")
    }
}
