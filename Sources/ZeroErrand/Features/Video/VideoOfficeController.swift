import Fluent
import Vapor
import ZeroErrandCore

/// The office's side: publishing hours, the department's appointments, inviting a colleague into
/// a call, cancelling, and ending a session with its outcome.
struct VideoOfficeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let office = routes.grouped(Require(.staffWorkspace))
        office.get(SiteURL.officeVideo.route, use: show)
        office.post(SiteURL.officeVideoAvailability.route, use: publish)
        office.post(SiteURL.officeVideoAvailabilityDelete(id: ":id").route, use: withdraw)
        office.post(SiteURL.officeVideoOutcome(id: ":id").route, use: end)
        office.post(SiteURL.officeVideoCancel(id: ":id").route, use: cancel)
        office.post(SiteURL.officeVideoParticipants(id: ":id").route, use: invite)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.page("video/office", try await VideoOfficePage.make(req: req, form: .init(), errors: [:]), title: "video.office.title")
    }

    struct AvailabilityForm: Content {
        var weekdays: [String]?
        var from: String?
        var to: String?
        var slot: String?
        var firstDay: String?
        var lastDay: String?
        /// "preview": check the hours and show them on the applicants' clocks, without publishing.
        var intent: String?
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id else { throw AppError.notFound }
        let form = try req.content.decode(AvailabilityForm.self)
        var errors: [String: String] = [:]
        let start = form.from.flatMap(Self.minutes)
        let end = form.to.flatMap(Self.minutes)
        if start == nil { errors["from"] = req.t("video.availability.time_format") }
        if end == nil { errors["to"] = req.t("video.availability.time_format") }
        let first = form.firstDay.flatMap(CivilDay.init)
        let last = form.lastDay.flatMap(CivilDay.init)
        if first == nil { errors["firstDay"] = req.t("video.availability.date_format") }
        if last == nil { errors["lastDay"] = req.t("video.availability.date_format") }
        var rule: AvailabilityRule?
        if let start, let end, let first, let last {
            let candidate = AvailabilityRule(weekdays: Set((form.weekdays ?? []).compactMap(Int.init)), startMinute: start, endMinute: end,
                                             slotMinutes: Int(form.slot ?? "") ?? 0, firstDay: first, lastDay: last)
            if let problem = candidate.problem {
                errors["rule"] = req.t("video.availability.problem.\(problem.rawValue)")
            } else if let department = try await Department.find(departmentID, on: req.db), first < CivilDay(req.now, in: department.zone) {
                errors["firstDay"] = req.t("video.availability.in_past")
            } else if try await overlapsExisting(candidate, staff: account.requireID(), on: req.db) {
                errors["rule"] = req.t("video.availability.overlap")
            } else {
                rule = candidate
            }
        }
        guard let rule else {
            let page = try await VideoOfficePage.make(req: req, form: form, errors: errors)
            return try await req.page("video/office", page, title: "video.office.title", status: .unprocessableEntity)
        }
        if form.intent == "preview" {
            let page = try await VideoOfficePage.make(req: req, form: form, errors: [:], preview: rule)
            return try await req.page("video/office", page, title: "video.office.title")
        }
        let now = req.now
        let staffID = try account.requireID()
        let published = try await req.audited { db, audit in
            let availability = VideoAvailability(departmentID: departmentID, staffID: staffID, rule: rule, now: now)
            try await availability.create(on: db)
            try await audit.record("video.availability_published", "video_availability", try availability.requireID().uuidString.lowercased(),
                                   ["weekdays": rule.weekdays.sorted().map(String.init).joined(separator: ","),
                                    "hours": "\(form.from ?? "")-\(form.to ?? "")", "days": "\(rule.firstDay)..\(rule.lastDay)"])
            return try availability.requireID()
        }
        // Shown once at the top: the hours on the applicants' clocks, and days not bookable yet.
        return req.redirect(to: SiteURL.officeVideo.path + "?published=" + published.uuidString.lowercased(), redirectType: .normal)
    }

    /// Two rules of one person on a common weekday, on common days, with overlapping hours.
    private func overlapsExisting(_ rule: AvailabilityRule, staff: UUID, on db: any Database) async throws -> Bool {
        let existing = try await VideoAvailability.query(on: db).filter(\.$staff.$id == staff).all().compactMap(\.rule)
        return existing.contains { other in
            !other.weekdays.isDisjoint(with: rule.weekdays) && other.firstDay <= rule.lastDay && rule.firstDay <= other.lastDay
                && other.startMinute < rule.endMinute && rule.startMinute < other.endMinute
        }
    }

    /// Withdraws one's own hours; appointments already booked in them stay.
    @Sendable func withdraw(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let id = req.parameters.get("id", as: UUID.self),
              let availability = try await VideoAvailability.query(on: req.db).filter(\.$id == id)
                .filter(\.$staff.$id == account.requireID()).first() else { throw AppError.notFound }
        try await req.audited { db, audit in
            try await availability.delete(on: db)
            try await audit.record("video.availability_withdrawn", "video_availability", id.uuidString.lowercased())
        }
        return req.redirect(to: .officeVideo)
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        let (session, record) = try await VideoAccess.officeSession(req)
        try await VideoBooking.cancel(session, case: record, byOffice: true, req: req)
        return req.redirect(to: .officeVideo)
    }

    struct InviteForm: Content { var account: String? }

    /// Brings a colleague of the same office into the room (a supervisor, an interpreter on staff).
    @Sendable func invite(req: Request) async throws -> Response {
        let entry = try await VideoAccess.staff(req)
        let sessionID = try entry.session.requireID()
        guard entry.session.status == .booked else { throw AppError(status: .conflict, key: "video.room.closed") }
        guard let text = try req.content.decode(InviteForm.self).account, let accountID = UUID(uuidString: text),
              let colleague = try await Account.query(on: req.db).filter(\.$id == accountID).filter(\.$kind == .staff)
                .filter(\.$department.$id == entry.record.$department.id).first() else {
            throw AppError(status: .unprocessableEntity, key: "video.invite.unknown")
        }
        try await req.audited { db, audit in
            let invited = try await VideoParticipant.query(on: db).filter(\.$session.$id == sessionID).all()
            guard !invited.contains(where: { $0.$account.id == accountID }) else { return }
            guard invited.count < VideoRoomHub.maxParticipants else { throw AppError(status: .conflict, key: "video.invite.full") }
            // Everyone in a recorded call has agreed to it; a newcomer could not have.
            guard try await VideoRecording.query(on: db).filter(\.$session.$id == sessionID).filter(\.$status == .recording).count() == 0 else {
                throw AppError(status: .conflict, key: "video.invite.while_recording")
            }
            try await VideoParticipant(sessionID: sessionID, accountID: try colleague.requireID(), role: .staff).create(on: db)
            try await audit.record("video.participant_invited", "video_session", sessionID.uuidString.lowercased(),
                                   ["account": accountID.uuidString.lowercased()])
        }
        // The newcomer has not agreed yet: the room learns that recording now waits for them.
        let consent = try await ConsentState.load(session: sessionID, on: req.db)
        await req.application.videoRooms.publish(RoomEnvelope(room: sessionID, type: "consent", data: try consent.dto().jsonText(),
                                                              consented: consent.accounts, instance: req.application.instanceID))
        return req.redirect(to: .videoRoom(id: sessionID.uuidString.lowercased()))
    }

    struct OutcomeForm: Content {
        var outcome: String?
        var note: String?
    }

    /// Ends the session with what the official found; a confirmed identity raises the applicant's
    /// identity level and moves the case on to review.
    @Sendable func end(req: Request) async throws -> Response {
        let entry = try await VideoAccess.staff(req)
        let session = entry.session
        let record = entry.record
        let sessionID = try session.requireID()
        let form = try req.content.decode(OutcomeForm.self)
        guard let outcome = form.outcome.flatMap(VideoSession.Outcome.init(rawValue:)) else {
            throw AppError(status: .unprocessableEntity, key: "video.outcome.choose")
        }
        let note = CaseLifecycle.normalizedText(form.note ?? "")
        guard !note.isEmpty, note.count <= 2000 else { throw AppError(status: .unprocessableEntity, key: "video.outcome.note_required") }
        guard session.status == .booked else { throw AppError(status: .conflict, key: "video.room.closed") }
        let now = req.now
        // A mediation session is not an identity check of the filer: ending it never confirms one.
        guard session.purpose.outcomes.contains(outcome) else {
            throw AppError(status: .conflict, key: session.purpose == .mediation ? "mediation.error.session_not_identity" : "video.outcome.choose")
        }
        if outcome == .identityConfirmed {
            // A notarial act's session ends with its certification, which also needs the
            // signatures and the recording; confirming identity alone would close it too early.
            if req.dependencies.notarial.kind(of: record.matter.code) != nil {
                throw AppError(status: .conflict, key: "notarization.certify_instead")
            }
            try await Self.requireSeenTogether(session: session, record: record, official: try req.requireAccount(), req: req)
        }
        let officialID = try req.requireAccount().requireID()
        let departmentID = session.$department.id
        let outbox = req.application.outbox
        let config = req.dependencies.config
        try await req.audited { db, audit in
            try await Self.recordOutcome(outcome, note: note, of: sessionID, on: record, official: officialID, departmentID: departmentID,
                                         db: db, audit: audit, outbox: outbox, config: config, now: now)
        }
        await req.application.videoRooms.close(room: sessionID)
        if outcome == .identityConfirmed, let next = Self.nextStep(after: record.status) {
            // Its own transaction: the outcome above stands even if the case has meanwhile moved.
            _ = try? await CaseWorkflow(request: req).perform(next, on: try record.requireID(), as: .office)
        }
        return req.redirect(to: .officeCase(id: try record.requireID().uuidString.lowercased()))
    }

    /// Ends a booked session with its outcome, inside the caller's audited transaction: the
    /// session, the case's timeline, the applicant's identity level on a confirmed check, the mail.
    /// Used here and by the notarial certification, which ends its session the same way.
    static func recordOutcome(_ outcome: VideoSession.Outcome, note: String, of sessionID: UUID, on record: Case, official officialID: UUID,
                              departmentID: UUID, db: any Database, audit: AuditTrail, outbox: Outbox, config: AppConfig, now: Date,
                              notification: String? = nil) async throws {
        // Audited changes run one at a time (across instances too), so this check holds until the update.
        guard let fresh = try await VideoSession.find(sessionID, on: db), fresh.status == .booked else {
            throw AppError(status: .conflict, key: "video.room.closed")
        }
        fresh.status = .completed
        fresh.endedAt = now
        fresh.outcome = outcome
        fresh.outcomeNote = note
        fresh.slotKey = nil
        fresh.activeKey = nil
        try await fresh.update(on: db)
        let caseID = try record.requireID()
        try await CaseEvent(caseID: caseID, at: now, actorID: officialID, kind: .video, name: "video_\(outcome.rawValue)",
                            statusAfter: nil, note: note).create(on: db)
        try await audit.record("video.ended", "video_session", sessionID.uuidString.lowercased(),
                               ["case": record.number, "outcome": outcome.rawValue])
        if outcome == .identityConfirmed {
            // Who checked, for which office: level 3 rests on this record.
            try await Account.query(on: db).filter(\.$id == record.$applicant.id).filter(\.$identityVerifiedAt == nil)
                .set(\.$identityVerifiedAt, to: now).set(\.$identityVerifiedBy, to: officialID)
                .set(\.$identityVerifiedDepartment, to: departmentID).update()
            try await audit.record("account.identity_verified", "account", record.$applicant.id.uuidString.lowercased(),
                                   ["by": "video", "session": sessionID.uuidString.lowercased()])
        }
        try await CaseNotifier.notifyApplicant(of: record, key: notification ?? "notification.case.video_\(outcome.rawValue)", extra: note,
                                               on: db, outbox: outbox, config: config, now: now)
    }

    /// "Identity confirmed" only when the server saw the citizen and this official connected to the
    /// room together, from the appointment's start, for the configured minimum: not before the
    /// appointment, not with nobody there. A session taken at a service point is joined from the
    /// point's computer by its assistant, with the citizen in front of that camera; there the
    /// assistant's connection is the citizen's side of the call (the official still sees the person).
    static func requireSeenTogether(session: VideoSession, record: Case, official: Account, req: Request) async throws {
        let sessionID = try session.requireID()
        let now = req.now
        let hub = req.application.videoRooms
        let officialID = try official.requireID()
        var citizen: [CoPresence.Interval] = []
        for accountID in try await applicantSide(of: session, record: record, on: req.db) {
            citizen += try await VideoPresence.intervals(session: sessionID, account: accountID,
                                                         connectedNow: await hub.isConnected(room: sessionID, account: accountID),
                                                         now: now, on: req.db)
        }
        let staff = try await VideoPresence.intervals(session: sessionID, account: officialID,
                                                      connectedNow: await hub.isConnected(room: sessionID, account: officialID),
                                                      now: now, on: req.db)
        let needed = req.dependencies.config.video.minimumTogether
        guard now >= session.startsAt else {
            throw AppError(status: .conflict, key: "video.outcome.too_early",
                           arguments: ["start": req.showTime(session.startsAt)])
        }
        guard CoPresence.together(citizen, staff, notBefore: session.startsAt) >= needed else {
            throw AppError(status: .conflict, key: "video.outcome.not_seen_together", arguments: ["seconds": String(Int(needed))])
        }
    }

    /// Whose connection shows the citizen: the applicant, and at a point the assistants who joined
    /// from its desk and still work there.
    static func applicantSide(of session: VideoSession, record: Case, on db: any Database) async throws -> [UUID] {
        guard let point = session.$point.id else { return [record.$applicant.id] }
        let assistants = try await VideoParticipant.query(on: db).filter(\.$session.$id == session.requireID())
            .join(Account.self, on: \VideoParticipant.$account.$id == \Account.$id)
            .filter(Account.self, \.$kind == .assistant).filter(Account.self, \.$servicePoint.$id == point)
            .all().map { $0.$account.id }
        return [record.$applicant.id] + assistants
    }

    /// Where a confirmed identity takes the case: a new application is accepted, an accepted one
    /// goes into review.
    static func nextStep(after status: CaseStatus) -> CaseAction? {
        switch status {
        case .submitted: .accept
        case .accepted, .resubmitted: .startReview
        default: nil
        }
    }

    /// "09:30" → 570; "24:00" is the end of the day.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...24).contains(hours), (0...59).contains(minutes),
              hours < 24 || minutes == 0 else { return nil }
        return hours * 60 + minutes
    }
}
