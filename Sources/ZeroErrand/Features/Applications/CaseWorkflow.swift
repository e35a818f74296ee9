import Fluent
import Foundation
import SQLKit
import Vapor
import ZeroErrandCore

/// Every change to a case goes through here: the state machine decides, and the change, its
/// timeline line, the legal clock, the applicant's notification and the audit event commit together.
struct CaseWorkflow {
    let request: Request

    private var now: Date { request.now }

    /// A new draft with the next number of the year, e.g. ZE-2026-000123. `alongside` runs in the
    /// same transaction, for what the case is created with (a mediation's dispute and parties).
    func createDraft(matter: Matter, applicant: Account, details: String, mandateID: UUID? = nil,
                     conditions: [MaterialCondition] = [],
                     alongside: (@Sendable (any Database, AuditTrail, Case) async throws -> Void)? = nil) async throws -> Case {
        let now = now
        let year = numberYear
        let matterID = try matter.requireID()
        let departmentID = matter.$department.id
        let applicantID = try applicant.requireID()
        // The relative, when they apply in the applicant's name.
        let creatorID = request.currentAccount?.id ?? applicantID
        let limit = matter.timeLimitDays
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let draft = Draft(matterID: matterID, departmentID: departmentID, applicantID: applicantID, creatorID: creatorID,
                          limitDays: limit, details: details, mandateID: mandateID, conditions: conditions)
        return try await request.audited { db, audit in
            let record = try await Self.insertDraft(draft, year: year, now: now, on: db, audit: audit)
            // The relative hears of a case the applicant names them on (not of one they made themselves).
            if mandateID != nil, creatorID == applicantID {
                record.$applicant.value = applicant
                try await CaseNotifier.notifyProxy(of: record, key: "notification.case.named", on: db, outbox: outbox, config: config, now: now)
            }
            try await alongside?(db, audit, record)
            return record
        }
    }

    /// What a new draft is made of; one part of a bundled request also names its bundle and part.
    struct Draft: Sendable {
        var matterID, departmentID, applicantID, creatorID: UUID
        var limitDays: Int
        var details: String
        var mandateID: UUID?
        var conditions: [MaterialCondition]
        var bundleID: UUID? = nil
        var bundlePart: Int? = nil
    }

    /// Inserts a draft with the next number of the year, its first timeline line and audit event,
    /// inside the caller's audited transaction (which serializes it with every other change, so
    /// two drafts never get the same number).
    static func insertDraft(_ draft: Draft, year: Int, now: Date, on db: any Database, audit: AuditTrail) async throws -> Case {
        let counter = try await CaseCounter.find(year, on: db) ?? CaseCounter(year: year, lastSequence: 0)
        counter.lastSequence += 1
        try await counter.save(on: db)
        let record = Case()
        record.number = CaseNumber.format(year: year, sequence: counter.lastSequence)
        record.$matter.id = draft.matterID
        record.$department.id = draft.departmentID
        record.$applicant.id = draft.applicantID
        record.status = .draft
        record.details = draft.details
        record.limitDays = draft.limitDays
        record.createdAt = now
        record.provisionalMissing = []
        record.supplementItems = []
        record.updatedAt = now
        record.$mandate.id = draft.mandateID
        record.materialConditions = draft.conditions.map(\.rawValue)
        record.$bundle.id = draft.bundleID
        record.bundlePart = draft.bundlePart
        try await record.create(on: db)
        let caseID = try record.requireID()
        try await CaseEvent(caseID: caseID, at: now, actorID: draft.creatorID, kind: .action, name: "create", statusAfter: .draft).create(on: db)
        try await audit.record("case.created", "case", caseID.uuidString.lowercased(),
                               ["number": record.number, "mandate": draft.mandateID?.uuidString.lowercased() ?? ""])
        return record
    }

    /// The year whose numbers a case made now takes.
    var numberYear: Int {
        Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: now).year!
    }

    /// Applies one action of the lifecycle. An action the current state does not allow is refused
    /// with a translated message and changes nothing.
    /// `alongside` runs in the same transaction once the action is allowed, for a change that must
    /// commit with it or not at all (a notarial approval, the certificate its issue delivers).
    /// Approving and issuing a notarial matter's case happens only that way, through the act.
    @discardableResult
    func perform(_ action: CaseAction, on caseID: UUID, as role: CaseRole,
                 alongside: (@Sendable (any Database, AuditTrail, Case) async throws -> Void)? = nil) async throws -> Case {
        let now = now
        let actorID = request.currentAccount?.id
        let actorRoles = Set(request.currentAccount?.roles ?? [])
        let calendar = request.dependencies.workingCalendar
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let request = request
        return try await request.audited { db, audit in
            guard let record = try await Case.query(on: db).filter(\.$id == caseID).withCatalogueMatter(request.catalogue).with(\.$department)
                .with(\.$applicant).first() else { throw AppError.notFound }
            let context = CaseContext(materialsCanSupplyLater: record.materialPlan.canSupplyLater)
            let before = record.status
            if alongside == nil, request.dependencies.notarial.kind(of: record.matter.code) != nil {
                // The notarial act decides these: approving needs the recorded certification and
                // every signature, and issuing makes the sealed certificate, downloaded or posted.
                if action.kind == .approve || action == .issueResult { throw AppError(status: .conflict, key: "notarization.through_act") }
                if [.recordProduction, .readyForCollection, .recordCollection].contains(action.kind) {
                    throw AppError(status: .conflict, key: "notarization.not_at_counter")
                }
            }
            if alongside == nil, record.matter.code == MediationCourts.mediationMatter,
               action.kind.isDecision || [.issueResult, .recordProduction, .readyForCollection, .recordCollection].contains(action.kind) {
                // A mediation ends in the parties' agreement and the judge's confirmation, never in
                // an official's decision on the filer's application.
                throw AppError(status: .conflict, key: "mediation.error.through_mediation")
            }
            if role == .office, action.kind.isDecision {
                // Decisions follow the matter's rule: its deciding role, and four eyes where it asks.
                guard let actorID else { throw AppError.forbidden }
                let preparers = Set(try await CaseEvent.query(on: db).filter(\.$caseRecord.$id == caseID).all().compactMap(\.$actor.id))
                    .subtracting([record.$applicant.id])
                switch record.matter.decisionRule.refusal(decider: actorID, roles: actorRoles, preparers: preparers) {
                case .needsRole(let needed)?:
                    throw AppError(status: .forbidden, key: "case.decide.needs_role", arguments: ["role": request.t("role.\(needed.rawValue)")])
                case .preparedBySelf?:
                    throw AppError(status: .forbidden, key: "case.decide.four_eyes")
                case nil: break
                }
            }
            if case .approve = action, record.matter.identityLevel == .videoVerified,
               record.applicant.identityLevel(for: record.matter, today: CivilDay(now, in: Mandate.zone)) != .videoVerified {
                // A level-3 matter is decided only on a recorded identity check (by video, or a
                // passport at a service point where the matter accepts it), whoever approves.
                throw AppError(status: .conflict, key: "case.approve_needs_video_check")
            }
            let snapshot: CaseSnapshot
            switch CaseLifecycle.apply(action, by: role, to: record.snapshot, context: context, now: now) {
            case .success(let next): snapshot = next
            case .failure(let error):
                let status: HTTPResponseStatus = switch error {
                case .notAllowed, .wrongRole: .conflict
                default: .unprocessableEntity
                }
                // Action and status names read as words in the viewer's language.
                var arguments = error.translationArguments
                if let action = arguments["action"] { arguments["action"] = request.t("case_action.\(action)") }
                if let status = arguments["status"] { arguments["status"] = request.t("case_status.\(status)") }
                throw AppError(status: status, key: error.translationKey, arguments: arguments)
            }
            record.snapshot = snapshot
            var note = ""
            switch action {
            case .submit: record.submittedAt = now
            case .requestSupplement(let items, _):
                record.remindedAt = nil
                record.supplementItems = items.map(CaseLifecycle.normalizedText)
                note = record.supplementItems.joined(separator: "\n")
            case .resubmit: record.supplementItems = []
            case .notAccept(let text), .refuse(let text), .approve(let text), .recordProduction(let text), .recordCollection(let text):
                note = CaseLifecycle.normalizedText(text)
            default: break
            }

            let today = CivilDay(now, in: record.department.zone)
            switch CaseLifecycle.clockEffect(from: before, to: snapshot.status) {
            case .start: record.acceptedOn = today.description
            case .pause: try await CasePause(caseID: caseID, fromOn: today.description).create(on: db)
            case .resume, .stop:
                try await CasePause.query(on: db).filter(\.$caseRecord.$id == caseID).filter(\.$toOn == nil)
                    .set(\.$toOn, to: today.description).update()
            case .none: break
            }
            if snapshot.status.isDecided && record.decidedAt == nil { record.decidedAt = now }
            let pauses = try await CasePause.query(on: db).filter(\.$caseRecord.$id == caseID).all()
            record.dueOn = CaseClock.deadline(for: record, pauses: pauses, calendar: calendar, today: today)?.dueDay.description
            record.updatedAt = now
            try await record.update(on: db)

            try await CaseEvent(caseID: caseID, at: now, actorID: actorID, kind: .action, name: action.name,
                                statusAfter: snapshot.status, note: note).create(on: db)
            // The office's changes are told to the applicant and their relative; a submission is
            // confirmed to them too (whoever of the two pressed the button).
            if role == .office || action == .submit || action == .resubmit {
                try await CaseNotifier.notifyApplicant(of: record, key: "notification.case.\(action.name)", extra: note,
                                                       on: db, outbox: outbox, config: config, now: now)
                try await CaseNotifier.notifyProxy(of: record, key: "notification.case.\(action.name)", extra: note,
                                                   on: db, outbox: outbox, config: config, now: now)
            }
            try await audit.record("case.\(action.name)", "case", caseID.uuidString.lowercased(),
                                   ["number": record.number, "status": snapshot.status.rawValue])
            try await alongside?(db, audit, record)
            if alongside == nil, action == .withdraw, record.matter.code == MediationCourts.mediationMatter {
                // Withdrawing a mediation request ends the mediation with it; the other parties are told.
                try await MediationService.endOnWithdrawal(of: caseID, by: actorID, request: request, on: db, audit: audit)
            }
            if [.refused, .notAccepted].contains(snapshot.status), record.$bundle.id != nil {
                // One part of a bundled request refused: the others go on or stop, as the bundle says.
                try await BundleService.stopOthers(after: record, reason: note, request: request, on: db, audit: audit)
            }
            return record
        }
    }
}

extension CaseWorkflow {
    /// Why this person may not apply for this matter (yet), and what to do next; nil when they may.
    /// The one rule behind the apply page and `POST /api/v1/cases`.
    /// `throughMandate`: the application names a power of attorney (the applicant's own, or one the
    /// applying relative holds), which is how a matter done by proxy is applied for here.
    func applyRefusal(for account: Account, to matter: Matter, throughMandate: Bool = false) -> (error: AppError, nextStep: String?, nextStepKey: String?)? {
        if account.kind != .citizen { return (AppError(status: .forbidden, key: "apply.refused.not_citizen"), nil, nil) }
        let start = ApplicationStart(matter.channels)
        if !start.citizenApplies && !(throughMandate && start == .throughRelative) {
            if start == .throughRelative {
                return (AppError(status: .forbidden, key: "apply.refused.needs_mandate"),
                        SiteURL.mandateNew.path + "?matter=" + matter.code.queryEncoded, "apply.next.mandate")
            }
            return (AppError(status: .forbidden, key: "apply.refused.not_online"), SiteURL.matter(code: matter.code).path + "#ways", "apply.next.ways")
        }
        let have = account.identityLevel(for: matter, today: CivilDay(now, in: Mandate.zone))
        if let have, have >= matter.identityLevel { return nil }
        // A matter done by video confirms identity within the case itself: its video step comes
        // before review, so signing in with a second factor is enough to apply.
        if let have, matter.identityLevel == .videoVerified, matter.channels.contains(.video), have >= .twoFactor { return nil }
        // The level needed, the level held, and exactly how to get there (and that a draft waits till then).
        let reach: (key: String, path: String, next: String) = switch have {
        case nil: ("apply.reach.confirm_email", SiteURL.account.path, "apply.next.confirm_email")
        case .emailConfirmed?: ("apply.reach.two_factor", SiteURL.twoFactorSetup.path, "apply.next.two_factor")
        default: ("apply.reach.video", SiteURL.matters.path, "apply.next.video")
        }
        let error = AppError(status: .forbidden, key: "apply.refused.identity",
                             arguments: ["needed": request.t("identity.level\(matter.identityLevel.rawValue)"),
                                         "have": have.map { request.t("identity.level\($0.rawValue)") } ?? request.t("identity.none"),
                                         "how": request.t(reach.key)])
        return (error, reach.path, reach.next)
    }

    /// The actions a citizen takes by name (from a form or the API); submitting needs every
    /// material that cannot be supplied later.
    func performApplicantAction(_ name: String, on record: Case) async throws {
        let action: CaseAction
        switch name {
        case "submit": action = .submit
        case "withdraw": action = .withdraw
        case "resubmit": action = .resubmit
        default: throw AppError.notFound
        }
        // Materials matter only if the case is in a state to be (re)submitted at all: otherwise the
        // answer is the state's refusal, whatever the materials.
        let context = CaseContext(materialsCanSupplyLater: record.materialPlan.canSupplyLater)
        if action == .submit || action == .resubmit,
           case .success = CaseLifecycle.apply(action, by: .applicant, to: record.snapshot, context: context, now: now) {
            try await requireMandateInForce(record)
            try await requireMaterials(record)
            try await request.bundles.requireEarlierResults(record)
            if action == .resubmit { try await requireSomethingSupplied(record) }
        }
        try await perform(action, on: record.requireID(), as: .applicant)
    }

    /// A case goes to the office only under a power of attorney in force today: a matter done
    /// through a relative needs one, and a named one that was never accepted, was revoked or has
    /// expired supplies nothing (not even the power-of-attorney material it stands for).
    private func requireMandateInForce(_ record: Case) async throws {
        guard let mandateID = record.$mandate.id else {
            if ApplicationStart(record.matter.channels) == .throughRelative {
                throw AppError(status: .unprocessableEntity, key: "apply.refused.needs_mandate")
            }
            return
        }
        guard let mandate = try await Mandate.find(mandateID, on: request.db),
              MandateRules.validity(mandate.facts, today: CivilDay(now, in: Mandate.zone)) == nil else {
            throw AppError(status: .unprocessableEntity, key: "case.mandate.not_in_force")
        }
    }

    /// Answering a supplement request sends something: at least one document uploaded since the
    /// office asked (an empty answer only made the office ask again).
    private func requireSomethingSupplied(_ record: Case) async throws {
        let caseID = try record.requireID()
        guard let asked = try await CaseEvent.query(on: request.db).filter(\.$caseRecord.$id == caseID)
            .filter(\.$name == "request_supplement").sort(\.$occurredAt, .descending).first()?.occurredAt else { return }
        // A supplement file can only be uploaded while one is requested, so any since the request
        // is an answer; a material or attachment counts when it came after the request.
        let sent = try await CaseDocument.query(on: request.db).filter(\.$caseRecord.$id == caseID).group(.or) { either in
            either.group(.and) { $0.filter(\.$purpose == .supplement).filter(\.$createdAt >= asked) }
            either.group(.and) { $0.filter(\.$purpose ~~ [.material, .attachment]).filter(\.$createdAt > asked) }
        }.count()
        if sent == 0 { throw AppError(status: .unprocessableEntity, key: "case.supplement.nothing_sent") }
    }

    private func requireMaterials(_ record: Case) async throws {
        let supplied = Set(try await CaseDocument.query(on: request.db).filter(\.$caseRecord.$id == record.requireID())
            .filter(\.$purpose == .material).all().compactMap(\.materialIndex))
        let missing = record.materialPlan.missingForSubmission(supplied: supplied)
        guard missing.isEmpty else {
            // Every missing material at once, so the applicant fixes them in one go.
            let names = missing.map { record.matter.materials[$0].name(request.locale) }
            throw AppError(status: .unprocessableEntity, key: "apply.materials_missing",
                           arguments: ["materials": names.joined(separator: request.locale == .zhHans ? "、" : "; ")])
        }
    }

    /// A citizen's file: materials while drafting or when asked for more, a material accepted as
    /// "supply later" until the decision, attachments while the case is open.
    static func applicantMayUpload(_ purpose: CaseDocument.Purpose, material: Int?, to record: Case) -> Bool {
        guard !record.status.isTerminal else { return false }
        switch purpose {
        case .attachment: return record.status != .draft
        case .supplement: return record.status == .supplementRequested
        case .material:
            // Only materials that apply to this application and are not the signed mandate itself.
            guard let material, record.materialPlan.applies(material), !record.materialPlan.isProvidedByMandate(material) else { return false }
            return [.draft, .supplementRequested].contains(record.status)
                || (record.provisionalMissing.contains(material) && !record.status.isDecided)
        case .result: return false
        }
    }

    func receiveApplicantDocument(on record: Case, purpose rawPurpose: String?, material: Int?) async throws -> CaseDocument {
        guard let purpose = CaseDocument.Purpose(rawValue: rawPurpose ?? "material") else { throw AppError.badRequest }
        let material = purpose == .material ? material : nil
        guard Self.applicantMayUpload(purpose, material: material, to: record) else { throw AppError(status: .conflict, key: "upload.not_now") }
        if purpose == .material, let refusal = try await request.bundles.uploadRefusal(record, material: material) { throw refusal }
        // An ID photo meets the photo rules however it comes, from home or from a service point's desk.
        var checked: (bytes: [UInt8], name: String)?
        if purpose == .material, let material, material == DeskPhoto.materialIndex(of: record.matter) {
            checked = (try await DeskPhoto.read(request), DocumentUpload.fileName(request))
        }
        // Checked again when the file has arrived: the case may have moved on meanwhile.
        return try await DocumentUpload.receive(request, into: record, purpose: purpose, materialIndex: material, checked: checked) { current in
            Self.applicantMayUpload(purpose, material: material, to: current)
        }
    }
}

/// The legal time limit of a case, from its acceptance day, its pauses and the holiday calendar.
enum CaseClock {
    static func deadline(for record: Case, pauses: [CasePause], calendar: WorkingDayCalendar, today: CivilDay) -> CaseDeadline? {
        guard let acceptedOn = record.acceptedOn.flatMap(CivilDay.init) else { return nil }
        let spans = pauses.compactMap { pause in
            CivilDay(pause.fromOn).map { DeadlinePause(from: $0, to: pause.toOn.flatMap(CivilDay.init)) }
        }
        return LegalDeadline.compute(acceptedOn: acceptedOn, limit: record.limitDays, pauses: spans, calendar: calendar, today: today)
    }
}

extension Request {
    var cases: CaseWorkflow { CaseWorkflow(request: self) }
}
