import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The office's video page: the form to publish hours, one's own hours, and the department's
/// coming appointments, all in the office's zone (named).
struct VideoOfficePage: Encodable {
    struct Rule: Encodable {
        let text: String
        let deletePath: String
    }
    struct Appointment: Encodable {
        let when: String
        let number: String
        let casePath: String
        let host: String
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

    static func make(req: Request, form: VideoOfficeController.AvailabilityForm, errors: [String: String]) async throws -> VideoOfficePage {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let department = try await Department.find(departmentID, on: req.db) else {
            throw AppError.notFound
        }
        let zone = department.zone
        let today = CivilDay(req.now, in: zone)
        let chosen = Set(form.weekdays ?? ["1", "2", "3", "4", "5"])
        let rules = try await VideoAvailability.query(on: req.db).filter(\.$staff.$id == account.requireID())
            .filter(\.$lastDay >= today.description).sort(\.$firstDay).all()
        let sessions = try await VideoSession.query(on: req.db).filter(\.$department.$id == departmentID).filter(\.$status == .booked)
            .filter(\.$startsAt >= req.now.addingTimeInterval(-3600)).sort(\.$startsAt).limit(200)
            .with(\.$caseRecord).with(\.$host).with(\.$participants).all()
        let accountID = try account.requireID()
        return VideoOfficePage(
            zone: department.timeZone,
            weekdays: (1...7).map { Choice(value: String($0), label: req.t("weekday.\($0)"), selected: chosen.contains(String($0))) },
            slotLengths: AvailabilityRule.slotLengths.map {
                Choice(value: String($0), label: req.t("video.availability.minutes", ["count": String($0)]), selected: String($0) == (form.slot ?? "30"))
            },
            from: form.from ?? "09:00", to: form.to ?? "12:00",
            firstDay: form.firstDay ?? today.description, lastDay: form.lastDay ?? today.adding(days: 27).description,
            errors: errors,
            rules: rules.map { rule in
                let days = rule.weekdays.map { req.t("weekday.\($0)") }.joined(separator: ", ")
                let text = "\(days) · \(Self.clock(rule.startMinute))–\(Self.clock(rule.endMinute)) · "
                    + req.t("video.availability.minutes", ["count": String(rule.slotMinutes)]) + " · \(rule.firstDay) – \(rule.lastDay)"
                return Rule(text: text, deletePath: SiteURL.officeVideoAvailabilityDelete(id: rule.id?.uuidString.lowercased() ?? "").path)
            },
            appointments: sessions.map { session in
                let id = session.id?.uuidString.lowercased() ?? ""
                let invited = session.participants.contains { $0.$account.id == accountID }
                return Appointment(when: req.showTime(session.startsAt, in: zone), number: session.caseRecord.number,
                                   casePath: SiteURL.officeCase(id: session.$caseRecord.id.uuidString.lowercased()).path,
                                   host: session.host.displayName, roomPath: invited ? SiteURL.videoRoom(id: id).path : nil,
                                   cancelPath: SiteURL.officeVideoCancel(id: id).path)
            })
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}
