import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Finding a time for everyone and fixing the video session: the court's office hours on its
/// working days, and every party's waking hours on their own clock (`MediationHours`).
extension MediationService {
    static let sessionLengths = [60, 90, 120, 180]

    /// Who must attend: every party, in their zone and within their hours.
    static func attendees(_ loaded: MediationRecord) -> [MediationAttendee] {
        loaded.parties.map { MediationAttendee(zone: $0.zone, waking: $0.waking) }
    }

    /// The common hours on the court's `day`.
    func hours(_ loaded: MediationRecord, on day: CivilDay) -> MediationHours.Answer {
        MediationHours.answer(on: day, courtZone: loaded.court.zone, courtSits: request.dependencies.workingCalendar.isWorkingDay(day),
                              attendees: Self.attendees(loaded))
    }

    /// The mediator fixes the session: every party served, a start in the future inside the
    /// common hours. A session fixed earlier is cancelled; everyone gets an invitation with a
    /// calendar file, their own time first and the court's beside it. An interpreter, when named,
    /// joins the call and sees nothing else of the mediation.
    func fixSession(_ loaded: MediationRecord, start: Date?, minutes: Int?, interpreterEmail: String?) async throws {
        let mediator = try request.requireAccount().requireID()
        guard loaded.mediation.ending == nil else { throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey) }
        guard loaded.parties.allSatisfy({ $0.servedAt != nil && $0.$account.id != nil }) else {
            throw AppError(status: .conflict, key: "mediation.error.not_all_served")
        }
        guard let start, let minutes, Self.sessionLengths.contains(minutes) else { throw AppError(status: .unprocessableEntity, key: "mediation.error.session_time") }
        guard start > request.now.addingTimeInterval(3600) else { throw AppError(status: .unprocessableEntity, key: "mediation.error.session_soon") }
        guard MediationHours.fits(start: start, minutes: minutes, in: hours(loaded, on: CivilDay(start, in: loaded.court.zone))) else {
            throw AppError(status: .unprocessableEntity, key: "mediation.error.outside_hours")
        }
        var interpreter: Account?
        if let raw = interpreterEmail?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let email = EmailAddress.normalize(raw), let account = try await Account.query(on: request.db).filter(\.$email == email).first(),
                  account.kind == .citizen, account.emailConfirmedAt != nil, loaded.party(spokenForBy: try account.requireID()) == nil else {
                throw AppError(status: .unprocessableEntity, key: "mediation.error.interpreter")
            }
            interpreter = account
        }
        let interpreterID = try interpreter?.requireID()
        let now = request.now, today = today, mediationID = loaded.id
        let outbox = request.application.outbox, config = request.dependencies.config
        let translator = request.dependencies.translator
        try await request.audited { db, audit in
            guard let fresh = try await MediationRecord.load(mediationID, on: db, today: today), fresh.mediation.ending == nil else {
                throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey)
            }
            let caseID = try fresh.record.requireID()
            var sequence = 0
            if let previousID = fresh.mediation.sessionID, let previous = try await VideoSession.find(previousID, on: db), previous.status == .booked {
                previous.cancel(at: now)
                try await previous.update(on: db)
                sequence = previous.sequence
            }
            let session = VideoSession()
            session.$caseRecord.id = caseID
            session.$department.id = fresh.mediation.$court.id
            session.$host.id = mediator
            session.purpose = .mediation
            session.startsAt = start
            session.endsAt = start.addingTimeInterval(TimeInterval(minutes * 60))
            session.status = .booked
            session.slotKey = VideoSession.slotKey(host: mediator, start: start)
            session.activeKey = VideoSession.activeKey(caseID: caseID, purpose: .mediation)
            session.sequence = sequence
            session.$bookedBy.id = mediator
            session.createdAt = now
            try await session.create(on: db)
            let sessionID = try session.requireID()
            var invited: [(UUID, VideoParticipant.Role)] = [(mediator, .staff)]
            for party in fresh.parties {
                for account in fresh.speakers[try party.requireID()] ?? [] where !invited.contains(where: { $0.0 == account }) {
                    // The filer enters as the case's applicant; everyone else as an invited person.
                    invited.append((account, account == fresh.record.$applicant.id ? .applicant : .other))
                }
            }
            if let interpreterID { invited.append((interpreterID, .other)) }
            for (account, role) in invited {
                try await VideoParticipant(sessionID: sessionID, accountID: account, role: role).create(on: db)
            }
            fresh.mediation.sessionID = sessionID
            fresh.mediation.updatedAt = now
            try await fresh.mediation.update(on: db)
            try await audit.record("mediation.session_fixed", "mediation", mediationID.uuidString.lowercased(),
                                   ["session": sessionID.uuidString.lowercased(), "starts_at": ISO8601DateFormatter().string(from: start),
                                    "minutes": String(minutes), "interpreter": interpreterID == nil ? "no" : "yes"])
            try await CaseEvent(caseID: caseID, at: now, actorID: mediator, kind: .video, name: "video_booked", statusAfter: nil).create(on: db)
            let link = SiteURL.videoRoom(id: sessionID.uuidString.lowercased()).absolute(config)
            let accounts = try await Account.query(on: db).filter(\.$id ~~ invited.map(\.0)).all()
            for account in accounts {
                let locale = account.appLocale
                // A party's own clock is the one they gave for the mediation; anyone else's, their account's.
                let zone = fresh.parties.first { $0.$account.id == account.id }?.zone ?? account.zone
                let arguments = ["number": fresh.record.number, "court": fresh.court.name(locale),
                                 "when": TimeDisplay.format(start, in: zone), "when_court": TimeDisplay.format(start, in: fresh.court.zone),
                                 "minutes": String(minutes), "link": link]
                let event = ICalendarEvent(
                    uid: "video-\(sessionID.uuidString.lowercased())@zeroerrand", sequence: session.sequence, method: .request,
                    start: session.startsAt, end: session.endsAt, stamp: now,
                    summary: translator.text("mediation.ics.summary", locale, arguments), description: translator.text("mediation.ics.description", locale, arguments),
                    url: link, organizerName: fresh.court.name(locale), organizerEmail: config.mailFrom.address,
                    attendeeName: account.displayName, attendeeEmail: account.email)
                try await outbox.enqueue(to: account, subjectKey: "mail.mediation.session.subject", bodyKey: "mail.mediation.session.body",
                                         arguments: arguments, calendar: event, on: db)
            }
        }
    }

    /// The mediator talks with one side alone (`side`), or brings everyone back (nil). The room is
    /// split on the server: the mediator, that side and the interpreter in one group, the other side
    /// in another, and no signal crosses between them. Each start and end is audited, which also
    /// dates the gap the mediator's recording leaves for it.
    func caucus(_ loaded: MediationRecord, with side: MediationSide?) async throws {
        guard loaded.mediation.ending == nil, let sessionID = loaded.mediation.sessionID,
              let session = try await VideoSession.find(sessionID, on: request.db), session.status == .booked else {
            throw AppError(status: .conflict, key: "mediation.error.no_session")
        }
        var groups: [UUID: Int]?
        if let side {
            var split: [UUID: Int] = [:]
            // Everyone invited who speaks for no party (the mediator, an interpreter) stays with the mediator.
            for participant in try await VideoParticipant.query(on: request.db).filter(\.$session.$id == sessionID).all() {
                split[participant.$account.id] = 1
            }
            for party in loaded.parties {
                for account in loaded.speakers[try party.requireID()] ?? [] { split[account] = party.side == side ? 1 : 2 }
            }
            groups = split
        }
        let mediationID = loaded.id
        try await request.audited { _, audit in
            try await audit.record(side == nil ? "mediation.caucus_ended" : "mediation.caucus_started", "mediation", mediationID.uuidString.lowercased(),
                                   ["session": sessionID.uuidString.lowercased(), "side": side?.rawValue ?? ""])
        }
        await request.application.videoRooms.caucus(room: sessionID, groups: groups)
    }
}
