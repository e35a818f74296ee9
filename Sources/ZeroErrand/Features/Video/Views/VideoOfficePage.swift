import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The office's video page: the department's coming appointments (office time, and the
/// applicant's own time beside it), the form to publish hours, and one's own hours, each read on
/// the clocks of the zones the office's applicants live in, with a warning for days citizens
/// cannot book yet.
struct VideoOfficePage: Encodable {
    struct Rule: Encodable {
        let text: String
        let zoneViews: [String]
        let beyondWindow: String?
        let deletePath: String?
    }
    struct Appointment: Encodable {
        let when: String
        /// "With 李娜, at their time 2026-10-26 02:00 (Europe/Paris, UTC+01:00)".
        let applicantTime: String
        let number: String
        let casePath: String
        let host: String
        /// "From Madrid Overseas Service Point, assisted by 林娜", for a session taken at a point.
        let place: String?
        let roomPath: String?
        let cancelPath: String
    }

    let zone: String
    let weekdays: [Choice]
    let slotLengths: [Choice]
    let from: String
    let to: String
    let firstDay: String
    let lastDay: String
    let errors: [String: String]
    let rules: [Rule]
    let appointments: [Appointment]
    /// "Your applicants live in: Europe/Madrid (3), …", or that none lives elsewhere.
    let applicantZones: String
    let windowHint: String
    /// The hours in the form, checked and shown but not yet published.
    let preview: Rule?
    /// The hours just published, shown once at the top.
    let published: Rule?

    static func make(req: Request, form: VideoOfficeController.AvailabilityForm, errors: [String: String],
                     preview: AvailabilityRule? = nil) async throws -> VideoOfficePage {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let department = try await Department.find(departmentID, on: req.db) else {
            throw AppError.notFound
        }
        let zone = department.zone
        let now = req.now
        let today = CivilDay(now, in: zone)
        let chosen = Set(form.weekdays ?? ["1", "2", "3", "4", "5"])
        let rules = try await VideoAvailability.query(on: req.db).filter(\.$staff.$id == account.requireID())
            .filter(\.$lastDay >= today.description).sort(\.$firstDay).all()
        let sessions = try await VideoSession.query(on: req.db).filter(\.$department.$id == departmentID).filter(\.$status == .booked)
            .filter(\.$startsAt >= now.addingTimeInterval(-3600)).sort(\.$startsAt).limit(200)
            .with(\.$caseRecord) { $0.with(\.$applicant) }.with(\.$host).with(\.$participants) { $0.with(\.$account) }
            .with(\.$point).all()
        let accountID = try account.requireID()
        let hours = VideoHoursText(req: req, office: zone, applicants: try await VideoApplicantZones.load(department: departmentID, on: req.db), now: now)
        let publishedID = try? req.query.get(UUID.self, at: "published")
        let rule = { (availability: VideoAvailability, deletable: Bool) -> Rule? in
            availability.rule.map { hours.rule($0, deletePath: deletable ? SiteURL.officeVideoAvailabilityDelete(id: availability.id?.uuidString.lowercased() ?? "").path : nil) }
        }
        return VideoOfficePage(
            zone: department.timeZone,
            weekdays: (1...7).map { Choice(value: String($0), label: req.t("weekday.\($0)"), selected: chosen.contains(String($0))) },
            slotLengths: AvailabilityRule.slotLengths.map {
                Choice(value: String($0), label: req.t("video.availability.minutes", ["count": String($0)]), selected: String($0) == (form.slot ?? "30"))
            },
            from: form.from ?? "09:00", to: form.to ?? "12:00",
            firstDay: form.firstDay ?? today.description, lastDay: form.lastDay ?? today.adding(days: 27).description,
            errors: errors,
            rules: rules.compactMap { rule($0, true) },
            appointments: sessions.map { session in
                let id = session.id?.uuidString.lowercased() ?? ""
                let invited = session.participants.contains { $0.$account.id == accountID }
                let applicant = session.caseRecord.applicant
                return Appointment(when: req.showTime(session.startsAt, in: zone),
                                   applicantTime: req.t("video.office.applicant_time", ["name": applicant.displayName,
                                                                                         "when": req.showTime(session.startsAt, in: applicant.zone)]),
                                   number: session.caseRecord.number,
                                   casePath: SiteURL.officeCase(id: session.$caseRecord.id.uuidString.lowercased()).path,
                                   host: session.host.displayName,
                                   place: session.point.map { point in
                                       let assistants = session.participants.filter { $0.account.kind == .assistant }.map(\.account.displayName)
                                       return req.t(assistants.isEmpty ? "video.office.at_point" : "video.office.at_point_assisted",
                                                    ["point": point.name(req.locale), "names": assistants.joined(separator: ", ")])
                                   },
                                   roomPath: invited ? SiteURL.videoRoom(id: id).path : nil,
                                   cancelPath: SiteURL.officeVideoCancel(id: id).path)
            },
            applicantZones: hours.applicantZones,
            windowHint: req.t("video.availability.window_hint", ["days": String(VideoBooking.window.days), "last": hours.windowEnd]),
            preview: preview.map { hours.rule($0, deletePath: nil) },
            published: rules.first { $0.id == publishedID }.flatMap { rule($0, false) })
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}

/// Published hours in words: the rule in the office's clock, the same hours on the clocks of the
/// applicants' zones (with clock changes dated), and the booking-window warning.
struct VideoHoursText {
    let req: Request
    let office: TimeZone
    let applicants: [VideoApplicantZones.Zone]
    let now: Date

    /// The instant the booking window ends, on the office's clock.
    var windowEnd: String { req.showTime(now.addingTimeInterval(VideoBooking.window.length), in: office) }

    var applicantZones: String {
        let elsewhere = applicants.filter { $0.zone.identifier != office.identifier }
        guard !elsewhere.isEmpty else { return req.t("video.availability.applicants_none") }
        return req.t("video.availability.applicants", ["zones": applicants.map { "\($0.zone.identifier) (\($0.people))" }.joined(separator: ", ")])
    }

    func rule(_ rule: AvailabilityRule, deletePath: String?) -> VideoOfficePage.Rule {
        let days = rule.weekdays.sorted().map { req.t("weekday.\($0)") }.joined(separator: ", ")
        let span = "\(VideoOfficePage.clock(rule.startMinute))–\(VideoOfficePage.clock(rule.endMinute))"
        let text = "\(days) · \(span) · " + req.t("video.availability.minutes", ["count": String(rule.slotMinutes)]) + " · \(rule.firstDay) – \(rule.lastDay)"
        let views = applicants.filter { $0.zone.identifier != office.identifier }.flatMap { applicant -> [String] in
            let periods = HoursAcrossZones.periods(of: rule, officeZone: office, in: applicant.zone)
            return periods.map { period in
                let clocks = "\(VideoOfficePage.clock(period.startMinute))–\(VideoOfficePage.clock(period.endMinute))"
                let there = period.dayShift < 0 ? req.t("video.availability.day_before", ["hours": clocks])
                    : period.dayShift > 0 ? req.t("video.availability.day_after", ["hours": clocks]) : clocks
                let line = req.t("video.availability.zone_view", ["hours": span, "office_zone": office.identifier, "there": there,
                                                                  "zone": applicant.zone.identifier,
                                                                  "share": req.t("video.availability.share.\(period.share.rawValue)")])
                return periods.count == 1 ? line
                    : req.t("video.availability.zone_view_dated", ["view": line, "first": period.firstDay.description, "last": period.lastDay.description])
            }
        }
        let beyond = VideoBooking.window.firstDayBeyond(rule, now: now, in: office).map { day in
            req.t("video.availability.beyond_window", ["days": String(VideoBooking.window.days), "first": day.description, "last": windowEnd])
        }
        return VideoOfficePage.Rule(text: text, zoneViews: views, beyondWindow: beyond, deletePath: deletePath)
    }
}
