import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Booking page: the current appointment, earlier ones, and the free times as a week of the
/// viewer's days (see `VideoSlotPicker`).
struct VideoBookingPage: Encodable {
    struct Appointment: Encodable {
        let id: String
        let when: String
        let whenOffice: String
        let status: String
        let outcome: String?
        let roomPath: String?
        let cancelPath: String?
        /// Taken at a service point: where to go and the time on the point's clock.
        let place: String?
    }

    let number: String
    let casePath: String
    let matter: String
    let office: String
    let officeZone: String
    let viewerZone: String
    let refusal: String?
    let current: Appointment?
    let earlier: [Appointment]
    /// Nil when the office has no free time at all.
    let picker: VideoSlotPicker?
    /// False while the current appointment is too close to move: no slots are offered then.
    let canChoose: Bool
    let bookPath: String
    let replacing: String?
    let notice: String
    /// Service points with a video room the citizen may join from instead of their own device.
    var points: [Choice] = []
    /// Why the last booking was refused, shown above the form that keeps what was chosen.
    var problem: String?
    var chosenStart: String?

    static func make(_ record: Case, req: Request, problem: String? = nil, chosenStart: String? = nil,
                     chosenPoint: String? = nil) async throws -> VideoBookingPage {
        let caseID = try record.requireID().uuidString.lowercased()
        let department = record.department
        let now = req.now
        let sessions = try await VideoSession.query(on: req.db).filter(\.$caseRecord.$id == record.requireID())
            .with(\.$point).sort(\.$startsAt, .descending).all()
        func appointment(_ session: VideoSession) -> Appointment {
            let id = session.id?.uuidString.lowercased() ?? ""
            let booked = session.status == .booked
            let mayCancel = booked && department.bookingRules.mayChange(appointmentStart: session.startsAt, now: now) == nil
            return Appointment(id: id, when: req.showTime(session.startsAt), whenOffice: req.showTime(session.startsAt, in: department.zone),
                               status: req.t("video.status.\(session.status.rawValue)"),
                               outcome: session.outcome.map { req.t("video.outcome.\($0.rawValue)") },
                               roomPath: booked ? SiteURL.videoRoom(id: id).path : nil,
                               cancelPath: mayCancel ? SiteURL.caseVideoCancel(id: caseID, session: id).path : nil,
                               place: session.point.map { point in
                                   req.t("video.booking.at_point", ["point": point.name(req.locale), "address": point.address,
                                                                    "when_point": req.showTime(session.startsAt, in: point.zone)])
                               })
        }
        let current = sessions.first { $0.status == .booked }
        let refusal = try await VideoBooking.refusal(for: record, on: req.db)
        let canChoose = refusal == nil && (current.map { department.bookingRules.mayChange(appointmentStart: $0.startsAt, now: now) == nil } ?? true)
        var picker: VideoSlotPicker?
        if canChoose {
            let slots = try await VideoBooking.freeSlots(department: department, now: now, calendar: req.dependencies.workingCalendar, on: req.db)
            picker = try VideoSlotPicker.make(slots: slots, office: department.zone, now: now, req: req)
        }
        return VideoBookingPage(
            number: record.number, casePath: SiteURL.caseDetail(id: caseID).path, matter: record.matter.name(req.locale),
            office: department.name(req.locale), officeZone: department.timeZone, viewerZone: req.viewerTimeZone.identifier,
            refusal: refusal.map { req.t($0.key, $0.arguments) }, current: current.map(appointment),
            earlier: sessions.filter { $0.status != .booked }.map(appointment), picker: picker, canChoose: canChoose,
            bookPath: SiteURL.caseVideo(id: caseID).path, replacing: current?.id?.uuidString.lowercased(),
            notice: req.t("video.booking.notice", ["booking": req.t("unit.hours", ["count": String(department.bookingNoticeHours)]),
                                                  "change": req.t("unit.hours", ["count": String(department.changeNoticeHours)])]),
            points: try await ServicePoint.query(on: req.db).sort(\.$country).sort(\.$code).all().filter { $0.offerSet.contains(.videoRoom) }
                .map { Choice(value: $0.code, label: "\($0.city(req.locale)) · \($0.name(req.locale))", selected: $0.code == chosenPoint) },
            problem: problem, chosenStart: chosenStart)
    }
}
