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
        /// The table's head and rows, written by `QueueTable`.
        let tableHTML: String
        let empty: Bool
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

    /// Statements: the session with its account, the department's zone, the count, and the page's rows
    /// with their assignees joined in, whatever the page size (the office's matters are in memory).
    @Sendable func queue(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let sql = req.db as? any SQLDatabase,
              let zone = try await Department.zone(of: departmentID, on: sql) else {
            throw AppError.notFound
        }
        let query = try req.query.decode(QueueQuery.self)
        let today = CivilDay(req.now, in: zone)
        let matters = try await req.catalogue.matters(of: departmentID, on: req.db)
        var filters = OfficeQueueQuery(departmentID: departmentID)
        if let status = query.status.nonEmpty {
            guard let status = CaseStatus(rawValue: status) else { throw AppError.badRequest }
            filters.status = status
        }
        if let code = query.matter.nonEmpty {
            guard let matter = matters.first(where: { $0.code == code }) else { throw AppError.badRequest }
            filters.matterID = try matter.requireID()
        }
        switch query.due.nonEmpty {
        case nil: break
        case "overdue"?: filters.due = .before(today)
        case let days?:
            guard let days = Int(days), (0...365).contains(days) else { throw AppError.badRequest }
            // "Within N days" means working days, as the time limits themselves do.
            filters.due = .byEnd(of: req.dependencies.workingCalendar.addingWorkingDays(days, to: today))
        }
        if query.mine == true { filters.assigneeID = account.id }
        let total = try await filters.count(on: sql)
        // The last page that has rows (a total of exactly 50 is one page, not two).
        let pageNumber = min(max(1, query.page ?? 1), max(1, (total + Self.pageSize - 1) / Self.pageSize))
        let names = Dictionary(uniqueKeysWithValues: matters.map { ($0.id!, $0.name(req.locale)) })
        let rows = try await filters.page(pageNumber, size: Self.pageSize, on: sql).map { row in
            QueueTable.Row(path: SiteURL.officeCase(id: row.id.uuidString).path, number: row.number, matter: names[row.matterID] ?? "",
                           status: req.t("case_status.\(row.status.rawValue)"), statusCode: row.status.rawValue, due: row.dueOn,
                           overdue: row.status.clockRuns && (row.dueOn.map { $0 < today.description } ?? false),
                           assignee: row.assigneeName)
        }
        let pageLink = { (number: Int) -> String in
            var items = ["page=\(number)"]
            if let status = query.status.nonEmpty { items.append("status=\(status.queryEncoded)") }
            if let matter = query.matter.nonEmpty { items.append("matter=\(matter.queryEncoded)") }
            if let due = query.due.nonEmpty { items.append("due=\(due.queryEncoded)") }
            if query.mine == true { items.append("mine=true") }
            return SiteURL.officeQueue.path + "?" + items.joined(separator: "&")
        }
        let page = QueuePage(
            tableHTML: QueueTable(req).html(rows), empty: rows.isEmpty,
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
        // Once per person and document in a while: a PDF viewer may fetch one file in many ranges.
        try await CaseAccess.auditViewOnce(req, "document.viewed", "document", document.id!.uuidString.lowercased(),
                                           ["case": record.id!.uuidString.lowercased()])
        return try await DocumentUpload.send(document, for: req, inline: (try? req.query.get(Int.self, at: "inline")) == 1)
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

    /// Per matter: decided cases, average calendar days from submission to decision, ratings: one
    /// grouped query over the office's cases (at most one rating per case, so the join adds no rows).
    @Sendable func stats(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let sql = req.db as? any SQLDatabase else { throw AppError.notFound }
        struct StatTotals: Decodable { let matter_id: UUID; let decided: Int; let seconds: Double?; let ratings: Int; let rating: Double? }
        // Dates are seconds since 1970 on SQLite and timestamps on PostgreSQL.
        let taken = sql.dialect.name == "postgresql" ? "EXTRACT(EPOCH FROM c.decided_at - c.submitted_at)" : "c.decided_at - c.submitted_at"
        let timed = "c.decided_at IS NOT NULL AND c.submitted_at IS NOT NULL"
        let totals = try await sql.raw("""
            SELECT c.matter_id AS matter_id, SUM(CASE WHEN \(unsafeRaw: timed) THEN 1 ELSE 0 END) AS decided,
                   CAST(AVG(CASE WHEN \(unsafeRaw: timed) THEN \(unsafeRaw: taken) END) AS DOUBLE PRECISION) AS seconds,
                   COUNT(r.score) AS ratings, CAST(AVG(r.score) AS DOUBLE PRECISION) AS rating
            FROM cases c LEFT JOIN case_ratings r ON r.case_id = c.id
            WHERE c.department_id = \(bind: departmentID) AND (c.decided_at IS NOT NULL OR r.score IS NOT NULL)
            GROUP BY c.matter_id
            """).all(decoding: StatTotals.self)
        let byMatter = Dictionary(uniqueKeysWithValues: totals.map { ($0.matter_id, $0) })
        let matters = try await req.catalogue.matters(of: departmentID, on: req.db)
        let rows = matters.compactMap { matter -> StatRow? in
            guard let total = byMatter[matter.id!] else { return nil }
            return StatRow(matter: matter.name(req.locale), decided: total.decided,
                           averageDays: total.seconds.map { String(format: "%.1f", $0 / 86400) } ?? "–",
                           ratings: total.ratings, averageRating: total.rating.map { String(format: "%.1f", $0) } ?? "–")
        }
        return try await req.page("office/stats", rows, title: "stats.title")
    }
}
