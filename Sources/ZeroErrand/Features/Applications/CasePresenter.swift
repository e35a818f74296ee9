import Fluent
import Foundation
import Vapor
import ZeroErrandCore

extension Request {
    /// For a form on the case page: a refused action shows the case page again with the reason
    /// next to the forms (HTML), or the usual error body (JSON).
    func onCasePage(_ record: Case, role: CaseRole, field: String, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as AppError where !wantsJSON && error.status != .notFound && error.key != AppError.forbidden.key {
            let page = try await CasePresenter(request: self, record: record, role: role).page(errors: [field: t(error.key, error.arguments)])
            return try await PageRenderer.render("cases/show", page, title: record.number, for: self, status: error.status)
        }
    }
}

/// Builds the case page for its applicant or for the office: the same case, the same timeline,
/// each in the viewer's time zone with the zone named. Its reads do not grow with the case: one per
/// kind of line, and a panel's only where the matter has that panel.
struct CasePresenter {
    let request: Request
    let record: Case
    let role: CaseRole

    private var locale: AppLocale { request.locale }

    /// Citizens see their own zone; staff see their office's.
    var zone: TimeZone {
        role == .office ? record.department.zone : request.viewerTimeZone
    }

    func page(errors: [String: String] = [:]) async throws -> CasePage {
        let caseID = try record.requireID()
        let id = caseID.uuidString
        let db = request.db
        // One statement for everything of the case's own (see `CaseLines`).
        let lines = try await CaseLines.read(case: caseID, viewer: request.currentAccount?.id, on: db)
        let (documents, events, messages) = (lines.documents, lines.events, lines.messages)
        try await Self.attachPoints(of: events.compactMap { $0.actor } + messages.map(\.author), on: db)

        let documentPath = { (document: CaseDocument) -> String in
            role == .office ? SiteURL.officeCaseDocument(id: id, document: document.id!.uuidString).path
                : SiteURL.caseDocument(id: id, document: document.id!.uuidString).path
        }
        let provenance = try await request.wallet.provenance(of: documents)
        let line = { (document: CaseDocument) in
            DocumentLine(name: document.originalName, path: documentPath(document), kind: document.kind.rawValue.uppercased(),
                         size: Self.size(document.size),
                         uploaded: request.showTime(document.createdAt, in: zone), sha256: document.sha256,
                         previewPath: role == .office ? documentPath(document) + "?inline=1" : nil,
                         provenance: document.id.flatMap { provenance[$0] })
        }
        // Only the materials that apply to this application (its answers and its mandate).
        let plan = record.materialPlan
        let bundle = try await bundlePart()
        let fromEarlier = bundle.map { BundleService.materialsFromEarlierParts(of: record, in: $0.definition) } ?? [:]
        let materials = record.matter.materials.enumerated().filter { plan.applies($0.offset) }.map { index, material in
            MaterialSlot(index: index, name: material.name(locale), description: material.description(locale),
                         condition: material.condition.map { request.t("material_condition.\($0.rawValue).badge") },
                         canSupplyLater: material.canSupplyLater, acceptedAsMissing: record.provisionalMissing.contains(index),
                         providedByMandate: plan.isProvidedByMandate(index),
                         canUpload: role == .applicant && CaseWorkflow.applicantMayUpload(.material, material: index, to: record),
                         documents: documents.filter { $0.purpose == .material && $0.materialIndex == index }.map(line),
                         fromEarlierPart: fromEarlier[index].map { request.t("bundle.material_from_part", ["number": String($0 + 1)]) },
                         isIDPhoto: index == DeskPhoto.materialIndex(of: record.matter))
        }
        let documentNames = Dictionary(uniqueKeysWithValues: documents.map { ($0.id!, $0) })
        let timeline = events.map { event in
            TimelineLine(time: request.showTime(event.occurredAt, in: zone), actor: actorName(event.actor),
                         text: request.t("timeline.\(event.name)", ["status": event.statusAfter.map { request.t("case_status.\($0.rawValue)") } ?? ""]),
                         note: event.note,
                         documentPath: event.$document.id.flatMap { documentNames[$0] }.map(documentPath),
                         documentName: event.$document.id.flatMap { documentNames[$0] }?.originalName)
        }
        let messageLines = messages.map { message in
            MessageLine(time: request.showTime(message.createdAt, in: zone), author: actorName(message.author),
                        fromOffice: message.fromOffice, body: message.body,
                        unread: message.readAt == nil && message.fromOffice == (role == .applicant))
        }
        let today = CivilDay(request.now, in: record.department.zone)
        // After a decision the time limit no longer applies.
        let clockMatters = record.status.clockApplies
        let deadline = clockMatters
            ? CaseClock.deadline(for: record, pauses: lines.pauses, calendar: request.dependencies.workingCalendar, today: today) : nil
        let deadlineText = deadline.map { deadline -> String in
            let left = deadline.workingDaysLeft(today: today)
            let key = deadline.isProvisional ? "case.deadline.paused" : (left < 0 ? "case.deadline.overdue" : "case.deadline.left")
            return request.t(key, ["due": deadline.dueDay.description, "count": String(abs(left))])
        }
        let canUpload = role == .applicant && [.draft, .supplementRequested].contains(record.status)
            || role == .office && record.status == .approved
        let colleagues: [Choice] = role == .office
            ? try await Account.query(on: db).filter(\.$department.$id == record.$department.id).filter(\.$suspendedAt == nil)
                .sort(\.$displayName).all().map { Choice(value: $0.id!.uuidString, label: $0.displayName, selected: $0.id == record.$assignee.id) }
            : []
        let preparers = Set(events.compactMap(\.$actor.id)).subtracting([record.$applicant.id])
        var page = CasePage(
            id: id, number: record.number, matter: record.matter.name(locale),
            matterPath: SiteURL.matter(code: record.matter.code).path, department: record.department.name(locale),
            status: request.t("case_status.\(record.status.rawValue)"), statusCode: record.status.rawValue,
            details: record.details, deadline: deadlineText, overdue: deadline.map { $0.isOverdue(today: today) && record.status.clockRuns } ?? false,
            supplementItems: record.supplementItems,
            supplementDue: record.supplementDueBy.map { request.showTime($0, in: zone) },
            materials: materials,
            otherDocuments: documents.filter { $0.purpose != .material }.map(line),
            uploadPath: role == .office ? SiteURL.officeCaseDocuments(id: id).path : SiteURL.caseDocuments(id: id).path,
            canUpload: canUpload, uploadLimitMB: request.dependencies.config.uploadLimit / 1024 / 1024,
            actions: actions(id: id, preparers: preparers),
            decisionHint: decisionHint(preparers: preparers),
            timeline: timeline, messages: messageLines,
            messagePath: role == .office ? SiteURL.officeCaseMessages(id: id).path : SiteURL.caseMessages(id: id).path,
            ratingPath: role == .applicant && record.status == .closed && lines.rating == nil ? SiteURL.caseRating(id: id).path : nil,
            rating: lines.rating.map { request.t("rating.given", ["score": String($0.score), "comment": $0.comment]) },
            zoneNote: request.t("case.times_in_zone", ["zone": zone.identifier]),
            assignee: record.assignee?.displayName,
            assignPath: role == .office ? SiteURL.officeCaseAssignee(id: id).path : nil,
            colleagues: colleagues,
            applicant: role == .office ? record.applicant.displayName : nil,
            applicantCard: role == .office ? try await applicantCard() : nil,
            video: try await videoPanel(id: id, sessions: lines.videoSessions),
            mandate: try await mandatePanel(id: id),
            notarization: try await NotarizationPanel.make(self, id: id),
            wallet: try await walletPicker(id: id, materials: materials),
            bundle: bundle.map(bundleNote),
            desk: try await deskNote(),
            errors: errors,
            viewerHasUnreadNotifications: lines.viewerHasUnreadNotifications)
        if page.desk != nil {
            // The visitor's own acts are not the desk's: messages to the office and ratings are theirs,
            // and the mandate's page is its principal's, its relative's and the office's.
            (page.messagePath, page.ratingPath) = ("", nil)
            page.mandate?.path = nil
        }
        return page
    }

    /// For an assistant among the lines' authors, the service point they work at, which their name
    /// is shown with.
    private static func attachPoints(of authors: [Account], on db: any Database) async throws {
        let assistants = authors.filter { $0.kind == .assistant }
        let pointIDs = Set(assistants.compactMap(\.$servicePoint.id))
        guard !pointIDs.isEmpty else { return }
        let points = Dictionary(uniqueKeysWithValues: try await ServicePoint.query(on: db).filter(\.$id ~~ pointIDs).all().map { ($0.id!, $0) })
        for assistant in assistants { assistant.$servicePoint.value = .some(assistant.$servicePoint.id.flatMap { points[$0] }) }
    }

    /// The applicant's name, without a read when it is the viewer or already loaded (`get` keeps
    /// what it read, so the panels that name the applicant share one read).
    private func applicantName() async throws -> String {
        if let applicant = record.$applicant.value { return applicant.displayName }
        if let viewer = request.currentAccount, viewer.id == record.$applicant.id { return viewer.displayName }
        return try await record.$applicant.get(on: request.db).displayName
    }

    /// For an assistant at a service point: whose case this is, and the permission it is worked under.
    private func deskNote() async throws -> DeskNote? {
        guard role == .applicant, let account = request.currentAccount, account.kind == .assistant else { return nil }
        let permission = try await PointPermission.query(on: request.db).filter(\.$visitor.$id == record.$applicant.id)
            .filter(\.$point.$id == account.$servicePoint.id ?? UUID()).sort(\.$createdAt, .descending).first()
        return DeskNote(text: request.t("desk.case.note", ["name": try await applicantName()]),
                        permissionPath: permission.map { SiteURL.deskPermission(id: $0.id!.uuidString).path })
    }

    /// The request across offices the case is a part of, read once for the page.
    private func bundlePart() async throws -> (bundle: CaseBundle, definition: BundleCatalogue.Definition)? {
        guard let bundleID = record.$bundle.id,
              let bundle = try await CaseBundle.query(on: request.db).filter(\.$id == bundleID).with(\.$applicant).first(),
              let definition = request.dependencies.bundles.definition(bundle.code) else { return nil }
        return (bundle, definition)
    }

    /// Which request the case is a part of. The office learns only that, and which part; the other
    /// parts and their offices' work stay on the citizen's page of the request.
    private func bundleNote(_ part: (bundle: CaseBundle, definition: BundleCatalogue.Definition)) -> BundleNote {
        let (bundle, definition) = part
        // The request's page is its applicant's; the relative working a part reads whose it is.
        let own = role == .applicant && request.currentAccount?.id == bundle.$applicant.id
        let key = role == .office ? "bundle.case_note.office" : own ? "bundle.case_note.applicant" : "bundle.case_note.relative"
        let text = request.t(key, ["number": String((record.bundlePart ?? 0) + 1), "count": String(definition.parts.count),
                                   "name": definition.name(locale), "applicant": bundle.applicant.displayName])
        return BundleNote(text: text, path: own ? SiteURL.bundleRequest(id: bundle.id!.uuidString).path : nil)
    }

    /// The applicant's own issued documents, offered where a material can still be given. Only to
    /// the applicant: sharing from the wallet is their consent, not a relative's.
    private func walletPicker(id: String, materials: [MaterialSlot]) async throws -> WalletPicker? {
        guard role == .applicant, let account = request.currentAccount, account.id == record.$applicant.id,
              materials.contains(where: \.canUpload) else { return nil }
        let items = try await request.wallet.items(of: account).filter { !$0.revoked && $0.document.$caseRecord.id != record.id }
        guard !items.isEmpty else { return nil }
        return WalletPicker(path: SiteURL.caseWalletMaterial(id: id).path, choices: items.map {
            Choice(value: $0.document.id!.uuidString, label: "\($0.document.originalName) · \($0.issuer) · \($0.caseNumber)", selected: false)
        })
    }

    /// What an official needs to know of the applicant: contact, identity level and how it was
    /// reached (the office and day of a video check), and their local time.
    private func applicantCard() async throws -> ApplicantCard {
        let applicant = record.applicant
        let level = applicant.identityLevel(for: record.matter, today: CivilDay(request.now, in: Mandate.zone))
        let how: String
        switch level {
        case .videoVerified? where applicant.identityLevel != .videoVerified:
            // Reached by a passport checked at a service point, which this matter accepts.
            let check = try await PassportCheck.query(on: request.db).filter(\.$id == (applicant.pointCheckID ?? UUID()))
                .with(\.$point).with(\.$assistant).first()
            how = request.t("case.identity.how.point", ["point": check?.point.name(locale) ?? "-", "assistant": check?.assistant.displayName ?? "-",
                                                         "when": check.map { request.showTime($0.checkedAt, in: zone) } ?? "-",
                                                         "passport": check.map { "\($0.documentMasked) (\($0.holderName))" } ?? "-"])
        case .videoVerified?:
            var office: Department?
            if let departmentID = applicant.identityVerifiedDepartment { office = try await Department.find(departmentID, on: request.db) }
            how = request.t("case.identity.how.video", ["office": office?.name(locale) ?? "-",
                                                         "when": applicant.identityVerifiedAt.map { request.showTime($0, in: zone) } ?? "-"])
        case .twoFactor?: how = request.t("case.identity.how.two_factor")
        case .emailConfirmed?: how = request.t("case.identity.how.email")
        case nil: how = request.t("identity.none")
        }
        let theirZone = TimeZone(identifier: applicant.timeZone) ?? .gmt
        return ApplicantCard(email: applicant.email, identity: level.map { request.t("identity.level\($0.rawValue)") } ?? request.t("identity.none"),
                             howReached: how, localTime: TimeDisplay.format(request.now, in: theirZone))
    }

    /// Where the case's video step stands, and where to go for it.
    private func videoPanel(id: String, sessions: [VideoSession]) async throws -> VideoPanel? {
        guard record.matter.channels.contains(.video), record.status != .draft else { return nil }
        if let booked = sessions.first(where: { $0.status == .booked }) {
            // The office reads its own time and, beside it, the time on the applicant's clock.
            let status = role == .applicant ? request.t("video.panel.booked", ["when": request.showTime(booked.startsAt, in: zone)])
                : request.t("video.panel.booked_office", ["when": request.showTime(booked.startsAt, in: zone),
                                                          "when_applicant": request.showTime(booked.startsAt, in: record.applicant.zone)])
            if role == .applicant { return VideoPanel(status: status, path: SiteURL.caseVideo(id: id).path, linkLabel: request.t("video.panel.manage")) }
            // Who is invited matters only to the office (it links the room to those invited).
            let invited = try await VideoParticipant.query(on: request.db).filter(\.$session.$id == booked.requireID())
                .filter(\.$account.$id == (request.currentAccount?.id ?? UUID())).first() != nil
            return VideoPanel(status: status, path: invited ? SiteURL.videoRoom(id: booked.id!.uuidString.lowercased()).path : SiteURL.officeVideo.path,
                              linkLabel: request.t(invited ? "video.booking.enter_room" : "video.office.title"))
        }
        if let done = sessions.first(where: { $0.outcome == .identityConfirmed }) {
            return VideoPanel(status: request.t("video.panel.confirmed", ["when": request.showTime(done.endedAt ?? done.startsAt, in: zone)]),
                              path: nil, linkLabel: nil)
        }
        // Only the applicant books; a relative working the case reads who will.
        let isApplicant = role == .applicant && request.currentAccount?.id == record.$applicant.id
        let bookable = isApplicant && VideoBooking.bookableStatuses.contains(record.status)
        return VideoPanel(status: isApplicant || role == .office ? request.t("video.panel.not_booked")
                            : request.t("video.panel.not_booked_relative", ["name": try await applicantName()]),
                          path: bookable ? SiteURL.caseVideo(id: id).path : nil,
                          linkLabel: bookable ? request.t("video.panel.book") : nil)
    }

    /// Who acts for the applicant: the relative, the mandate's state today, and for the office the
    /// relative's full ID number (the case is theirs to check). The applicant may name or change it.
    private func mandatePanel(id: String) async throws -> MandatePanel? {
        guard record.matter.channels.contains(.proxy) else { return nil }
        // Fluent's `get` would ask the database for a parent whose id is nil.
        let mandate = record.$mandate.id == nil ? nil : try await record.$mandate.get(on: request.db)
        let isPrincipal = role == .applicant && request.currentAccount?.id == record.$applicant.id
        var choices: [Choice] = []
        if isPrincipal && record.status == .draft {
            let today = CivilDay(request.now, in: Mandate.zone)
            let own = try await Mandate.query(on: request.db).filter(\.$principal.$id == record.$applicant.id)
                .filter(\.$status ~~ [.invited, .accepted]).all()
                .filter { $0.mayBeNamed(for: .view, matterCode: record.matter.code, caseID: record.id, today: today) }
            choices = [Choice(value: "", label: request.t("form.none"), selected: mandate == nil)]
                + own.map { Choice(value: $0.id!.uuidString, label: request.t("apply.for.own_mandate", ["name": $0.proxyName]),
                                   selected: $0.id == mandate?.id) }
        }
        guard mandate != nil || choices.count > 1 || isPrincipal else { return nil }
        let status = mandate.map { mandate -> String in
            let problem = mandate.status == .accepted ? MandateRules.validity(mandate.facts, today: CivilDay(request.now, in: Mandate.zone)) : nil
            return request.t("mandate.status.\(problem?.rawValue ?? mandate.status.rawValue)")
        }
        let principalName = try await applicantName()
        return MandatePanel(
            text: mandate.map { request.t("case.mandate.text", ["name": $0.proxyName, "relationship": request.t("relationship.\($0.relationship.rawValue)"),
                                                                "principal": principalName, "until": $0.validUntil]) },
            proxyID: try mandate.map { role == .office ? try request.dependencies.secrets.openText($0.proxyIDNumberSealed) : $0.proxyIDMasked },
            status: status,
            path: mandate.map { SiteURL.mandate(id: $0.id!.uuidString.lowercased()).path },
            formPath: isPrincipal && record.status == .draft ? SiteURL.caseMandate(id: id).path : nil,
            choices: choices)
    }

    /// Sizes in units that read the same in both languages.
    static func size(_ bytes: Int64) -> String {
        switch bytes {
        case ..<1024: "\(bytes) B"
        case ..<(1024 * 1024): String(format: "%.0f KB", Double(bytes) / 1024)
        default: String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
        }
    }

    /// Said to a decider who worked on a four-eyes case, where a decision is due: a colleague decides.
    private func decisionHint(preparers: Set<UUID>) -> String? {
        guard role == .office, let account = request.currentAccount, let accountID = account.id,
              CaseLifecycle.allowedKinds(for: record.status, role: role).contains(where: \.isDecision),
              record.matter.decisionRule.refusal(decider: accountID, roles: Set(account.roles), preparers: preparers) == .preparedBySelf
        else { return nil }
        return request.t("case.decide.four_eyes")
    }

    private func actions(id: String, preparers: Set<UUID>) -> [ActionButton] {
        let anyCanWait = record.matter.materials.contains(where: \.canSupplyLater)
        // A decision is offered only to someone the matter's rule lets make it: the role, and not
        // the one who prepared it where four eyes are asked (the server checks again).
        let viewer = request.currentAccount
        let mayDecide = viewer.flatMap { account in account.id.map { id in
            record.matter.decisionRule.refusal(decider: id, roles: Set(account.roles), preparers: preparers) == nil } } ?? false
        // A notarial act is approved and issued from its own panel, after its certification; its
        // certificate is downloaded or posted, never produced and collected at a counter.
        let notarial = request.dependencies.notarial.kind(of: record.matter.code) != nil
        return CaseLifecycle.allowedKinds(for: record.status, role: role)
            .filter { ($0 != .acceptProvisionally || anyCanWait) && (!$0.isDecision || mayDecide) }
            .filter { !notarial || ![.approve, .issueResult, .recordProduction, .readyForCollection, .recordCollection].contains($0) }.map { kind in
            let path = role == .office ? SiteURL.officeCaseAction(id: id, action: kind.rawValue).path
                : SiteURL.caseAction(id: id, action: kind.rawValue).path
            let needsText: Bool = [.notAccept, .refuse, .approve, .requestSupplement, .recordProduction, .recordCollection].contains(kind)
            return ActionButton(name: kind.rawValue, label: request.t("case_action.\(kind.rawValue)"), path: path,
                                needsText: needsText, needsDate: [.requestSupplement, .acceptProvisionally].contains(kind),
                                needsMaterials: kind == .acceptProvisionally,
                                textLabel: needsText ? request.t("case_action.\(kind.rawValue).text") : "")
        }
    }

    /// Staff appear by office and role, not by name, to citizens; to colleagues by name.
    func actorName(_ account: Account?) -> String {
        guard let account else { return request.t("timeline.system") }
        if role == .applicant && account.id == request.currentAccount?.id { return request.t("timeline.you") }
        if account.kind == .citizen {
            if account.id == record.$applicant.id { return account.displayName }
            // On a mediation, another party (or their agent) acted; the line's note names the party
            // as on the papers, never by their private account name.
            if record.matter.code == MediationCourts.mediationMatter { return request.t("timeline.mediation_party") }
            // The relative acting under the case's mandate.
            return request.t("timeline.proxy", ["name": account.displayName])
        }
        // An assistant at a service point, under the applicant's permission: by name and point, for
        // the applicant (who met them) and the office alike.
        if account.kind == .assistant {
            let point = account.$servicePoint.value.flatMap { $0 }?.name(locale) ?? ""
            return request.t("timeline.assistant", ["name": account.displayName, "point": point])
        }
        if role == .office { return account.displayName }
        let roles = account.roles.map { request.t("role.\($0.rawValue)") }.joined(separator: ", ")
        return request.t("timeline.office_staff", ["office": record.department.name(locale), "role": roles])
    }
}
