import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The mail a video appointment causes: confirmation, reminders and cancellation, each in the
/// recipient's language, each with an iCalendar part so a calendar program files the appointment
/// at the right instant. The citizen reads their own time first and the office's beside it; an
/// official reads it as an appointment with that citizen, office time first and the citizen's
/// own time beside it.
struct VideoInvitations {
    enum Kind: String { case booked, reminderDay = "reminder_day", reminderHour = "reminder_hour", cancelled }

    let outbox: Outbox
    let config: AppConfig
    let now: Date

    func send(_ kind: Kind, for session: VideoSession, case record: Case, on db: any Database) async throws {
        let sessionID = try session.requireID()
        let participants = try await VideoParticipant.query(on: db).filter(\.$session.$id == sessionID).with(\.$account).all()
        let translator = outbox.app.dependencies.translator
        let officeZone = record.department.zone
        let link = SiteURL.videoRoom(id: sessionID.uuidString.lowercased()).absolute(config)
        let applicant = participants.first { $0.role == .applicant }?.account
        let point = try await session.$point.get(on: db)
        for participant in participants {
            let account = participant.account
            let locale = account.appLocale
            // Officials and the colleagues they invite read the mail from the office's side.
            let side = participant.role == .applicant ? "" : "official."
            let arguments = [
                "number": record.number,
                "matter": record.matter.name(locale),
                "office": record.department.name(locale),
                "when": TimeDisplay.format(session.startsAt, in: account.zone),
                "when_office": TimeDisplay.format(session.startsAt, in: officeZone),
                "applicant": applicant?.displayName ?? "",
                "when_applicant": TimeDisplay.format(session.startsAt, in: applicant?.zone ?? officeZone),
                "link": link,
                // Taken at a service point: where to go, and the time on the point's clock.
                "place": point.map { point in
                    translator.text("video.mail.place", locale, ["point": point.name(locale), "address": point.address,
                                                                 "when_point": TimeDisplay.format(session.startsAt, in: point.zone)])
                } ?? "",
            ]
            let event = ICalendarEvent(
                uid: "video-\(sessionID.uuidString.lowercased())@zeroerrand", sequence: session.sequence,
                method: kind == .cancelled ? .cancel : .request, start: session.startsAt, end: session.endsAt, stamp: now,
                summary: translator.text("video.ics.\(side)summary", locale, arguments),
                description: translator.text("video.ics.\(side)description", locale, arguments), url: link,
                organizerName: record.department.name(locale), organizerEmail: config.mailFrom.address,
                attendeeName: account.displayName, attendeeEmail: account.email)
            try await outbox.enqueue(to: account, subjectKey: "video.mail.\(side)\(kind.rawValue).subject",
                                     bodyKey: "video.mail.\(side)\(kind.rawValue).body", arguments: arguments, calendar: event, on: db)
        }
    }
}

/// Reminders a day and an hour before each appointment, sent once each even with several
/// instances running.
enum VideoReminders {
    static func run(_ app: Application) async throws {
        for kind in [VideoInvitations.Kind.reminderDay, .reminderHour] {
            try await send(kind, app: app)
        }
    }

    private static func send(_ kind: VideoInvitations.Kind, app: Application) async throws {
        let now = app.dependencies.clock.now()
        let isDay = kind == .reminderDay
        let due = try await unreminded(VideoSession.query(on: app.db), isDay: isDay).filter(\.$status == .booked)
            .filter(\.$startsAt > now).filter(\.$startsAt <= now.addingTimeInterval(isDay ? 24 * 3600 : 3600))
            .with(\.$caseRecord) { $0.withCatalogueMatter(app.catalogue).with(\.$department) }.limit(200).all()
        for session in due {
            let sessionID = try session.requireID()
            let record = session.caseRecord
            // Audited changes run one at a time across instances: whoever comes second finds it sent.
            try await app.audited(.system) { db, _ in
                guard let fresh = try await VideoSession.find(sessionID, on: db), fresh.status == .booked,
                      (isDay ? fresh.remindedDayAt : fresh.remindedHourAt) == nil else { return }
                if isDay { fresh.remindedDayAt = now } else { fresh.remindedHourAt = now }
                try await fresh.update(on: db)
                try await VideoInvitations(outbox: app.outbox, config: app.dependencies.config, now: now)
                    .send(kind, for: fresh, case: record, on: db)
            }
        }
    }

    private static func unreminded(_ query: QueryBuilder<VideoSession>, isDay: Bool) -> QueryBuilder<VideoSession> {
        isDay ? query.filter(\.$remindedDayAt == nil) : query.filter(\.$remindedHourAt == nil)
    }
}
