import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// A time a citizen can book: free with at least one staff member of the office.
struct VideoSlot: Sendable, Equatable {
    let start: Date
    let end: Date
    let hosts: [UUID]
}

/// Booking, moving and cancelling video appointments. Two people can never hold one slot: a booking
/// looks for a free host inside an audited transaction (those run one at a time, across instances
/// too), and the session row's unique `slot_key` (host + start, set while booked) makes the
/// database refuse a second holder should anything write around that.
enum VideoBooking {
    /// How far ahead slots are offered.
    static let window = BookingWindow.standard

    /// Case states in which the office can still hold the video step.
    static let bookableStatuses: [CaseStatus] = [.submitted, .accepted, .inReview, .resubmitted, .supplementRequested]

    /// Why this case cannot have a video appointment now; nil when it can.
    static func refusal(for record: Case, on db: any Database) async throws -> AppError? {
        guard record.matter.channels.contains(.video) else { return AppError(status: .conflict, key: "video.refused.no_video_step") }
        guard bookableStatuses.contains(record.status) else { return AppError(status: .conflict, key: "video.refused.case_status") }
        let done = try await VideoSession.query(on: db).filter(\.$caseRecord.$id == record.requireID())
            .filter(\.$outcome == .identityConfirmed).count()
        return done > 0 ? AppError(status: .conflict, key: "video.refused.already_done") : nil
    }

    /// Free slots of the office from `now` on (or on `day` only), earliest first; none on public holidays.
    static func freeSlots(department: Department, now: Date, calendar: WorkingDayCalendar, day: CivilDay? = nil,
                          on db: any Database) async throws -> [VideoSlot] {
        let departmentID = try department.requireID()
        let today = CivilDay(now, in: department.zone)
        // Only the days that can be offered are generated: past days and those beyond the window are not.
        let first = max(day ?? today, today)
        let last = day ?? window.lastDay(now: now, in: department.zone)
        let rules = try await VideoAvailability.query(on: db).filter(\.$department.$id == departmentID)
            .filter(\.$lastDay >= first.description).filter(\.$firstDay <= last.description).all()
        let taken = try await takenSlotKeys(departmentID: departmentID, now: now, on: db)
        var slots: [Date: VideoSlot] = [:]
        for availability in rules {
            guard var rule = availability.rule else { continue }
            rule.firstDay = max(rule.firstDay, first)
            rule.lastDay = min(rule.lastDay, last)
            let host = availability.$staff.id
            for start in rule.slotStarts(in: department.zone, closed: calendar.isPublicHoliday)
            where window.contains(start, now: now) && department.bookingRules.mayBook(slotStart: start, now: now) == nil
                && !taken.contains(VideoSession.slotKey(host: host, start: start)) {
                let hosts = (slots[start]?.hosts ?? []) + [host]
                slots[start] = VideoSlot(start: start, end: start.addingTimeInterval(TimeInterval(rule.slotMinutes * 60)), hosts: hosts)
            }
        }
        return slots.values.sorted { $0.start < $1.start }
    }

    private static func takenSlotKeys(departmentID: UUID, now: Date, on db: any Database) async throws -> Set<String> {
        let booked = try await VideoSession.query(on: db).filter(\.$department.$id == departmentID)
            .filter(\.$status == .booked).filter(\.$startsAt >= now).all()
        return Set(booked.compactMap(\.slotKey))
    }

    /// Books `start` for the case's video step, moving `replacing` if given (its room closes).
    /// `point`: the service point whose room the citizen will join from (it must offer one, and be
    /// open for the whole slot on its own clock); nil from their own device.
    static func book(_ record: Case, start: Date, replacing: UUID?, point: ServicePoint? = nil, req: Request) async throws -> VideoSession {
        let session: VideoSession
        do {
            session = try await attemptBooking(record, start: start, replacing: replacing, point: point, req: req)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The unique keys are the backstop; audited writes already run one at a time.
            throw AppError(status: .conflict, key: "video.refused.slot_taken")
        }
        if let replacing { await req.application.videoRooms.close(room: replacing) }
        return session
    }

    private static func attemptBooking(_ record: Case, start: Date, replacing: UUID?, point: ServicePoint?, req: Request) async throws -> VideoSession {
        let now = req.now
        let caseID = try record.requireID()
        let department = record.department
        let applicant = try req.requireAccount()
        let outbox = req.application.outbox
        let config = req.dependencies.config
        let calendar = req.dependencies.workingCalendar
        return try await req.audited { db, audit in
            // The case as it is now: the office may have decided it since the page was loaded.
            guard let current = try await Case.query(on: db).filter(\.$id == caseID).withCatalogueMatter(req.catalogue).first() else { throw AppError.notFound }
            if let refusal = try await refusal(for: current, on: db) { throw refusal }
            let active = try await VideoSession.query(on: db).filter(\.$activeKey == VideoSession.activeKey(caseID: caseID, purpose: .identity)).first()
            var previous: VideoSession?
            if let active {
                guard let replacing, active.id == replacing else { throw AppError(status: .conflict, key: "video.refused.already_booked") }
                if department.bookingRules.mayChange(appointmentStart: active.startsAt, now: now) != nil {
                    throw AppError(status: .conflict, key: "video.refused.too_late_to_change",
                                   arguments: ["count": String(department.changeNoticeHours)])
                }
                previous = active
            } else if replacing != nil {
                throw AppError.notFound
            }
            guard department.bookingRules.mayBook(slotStart: start, now: now) == nil else {
                throw AppError(status: .unprocessableEntity, key: "video.refused.too_late", arguments: ["count": String(department.bookingNoticeHours)])
            }
            guard let slot = try await freeSlots(department: department, now: now, calendar: calendar,
                                                 day: CivilDay(start, in: department.zone), on: db).first(where: { $0.start == start }),
                  let host = slot.hosts.sorted(by: { $0.uuidString < $1.uuidString }).first else {
                throw AppError(status: .conflict, key: "video.refused.slot_taken")
            }
            if let point {
                guard point.offerSet.contains(.videoRoom), point.openingHours?.covers(start: slot.start, end: slot.end, in: point.zone) ?? false else {
                    throw AppError(status: .conflict, key: "video.refused.point_closed", arguments: ["point": point.name(req.locale)])
                }
                // Sessions of any office overlapping this slot in the point's rooms. Counted inside
                // the audited write, which runs one at a time: two bookings cannot both see a free room.
                let overlapping = try await VideoSession.query(on: db).filter(\.$point.$id == point.requireID())
                    .filter(\.$status == .booked).filter(\.$startsAt < slot.end).filter(\.$endsAt > slot.start).all()
                if overlapping.filter({ $0.id != previous?.id }).count >= point.videoRooms {
                    throw AppError(status: .conflict, key: "video.refused.point_full", arguments: ["point": point.name(req.locale)])
                }
            }
            if let previous {
                previous.cancel(at: now)
                try await previous.update(on: db)
            }
            let session = VideoSession()
            session.$point.id = try point?.requireID()
            session.$caseRecord.id = caseID
            session.$department.id = try department.requireID()
            session.$host.id = host
            session.purpose = .identity
            session.startsAt = slot.start
            session.endsAt = slot.end
            session.status = .booked
            session.slotKey = VideoSession.slotKey(host: host, start: slot.start)
            session.activeKey = VideoSession.activeKey(caseID: caseID, purpose: .identity)
            session.sequence = 0
            session.$bookedBy.id = try applicant.requireID()
            session.createdAt = now
            // Booked within a day of the call: the confirmation is the day's reminder.
            if slot.start.timeIntervalSince(now) <= 24 * 3600 { session.remindedDayAt = now }
            try await session.create(on: db)
            let sessionID = try session.requireID()
            try await VideoParticipant(sessionID: sessionID, accountID: record.$applicant.id, role: .applicant).create(on: db)
            try await VideoParticipant(sessionID: sessionID, accountID: host, role: .staff).create(on: db)

            try await CaseEvent(caseID: caseID, at: now, actorID: applicant.id, kind: .video,
                                name: previous == nil ? "video_booked" : "video_rebooked", statusAfter: nil).create(on: db)
            var details = ["case": caseID.uuidString.lowercased(), "number": record.number, "starts_at": ISO8601DateFormatter().string(from: slot.start)]
            if let previous { details["replaces"] = try previous.requireID().uuidString.lowercased() }
            if let point { details["point"] = point.code }
            try await audit.record("video.booked", "video_session", sessionID.uuidString.lowercased(), details)
            let invitations = VideoInvitations(outbox: outbox, config: config, now: now)
            if let previous { try await invitations.send(.cancelled, for: previous, case: record, on: db) }
            try await invitations.send(.booked, for: session, case: record, on: db)
            return session
        }
    }

    /// Cancels a booked session. The citizen must respect the office's notice; the office may always cancel.
    static func cancel(_ session: VideoSession, case record: Case, byOffice: Bool, req: Request) async throws {
        let now = req.now
        let actor = req.currentAccount?.id
        let outbox = req.application.outbox
        let config = req.dependencies.config
        guard session.status == .booked else { throw AppError(status: .conflict, key: "video.refused.not_booked") }
        if !byOffice, record.department.bookingRules.mayChange(appointmentStart: session.startsAt, now: now) != nil {
            throw AppError(status: .conflict, key: "video.refused.too_late_to_change",
                           arguments: ["count": String(record.department.changeNoticeHours)])
        }
        try await req.audited { db, audit in
            let sessionID = try session.requireID()
            // Audited changes run one at a time, so two cancellations cannot both pass this check.
            guard let fresh = try await VideoSession.find(sessionID, on: db), fresh.status == .booked else {
                throw AppError(status: .conflict, key: "video.refused.not_booked")
            }
            fresh.cancel(at: now)
            try await fresh.update(on: db)
            try await CaseEvent(caseID: try record.requireID(), at: now, actorID: actor, kind: .video, name: "video_cancelled",
                                statusAfter: nil).create(on: db)
            try await audit.record("video.cancelled", "video_session", sessionID.uuidString.lowercased(),
                                   ["case": try record.requireID().uuidString.lowercased(), "by": byOffice ? "office" : "applicant"])
            try await VideoInvitations(outbox: outbox, config: config, now: now).send(.cancelled, for: fresh, case: record, on: db)
        }
        await req.application.videoRooms.close(room: try session.requireID())
    }
}
