import Fluent
import Vapor
import ZeroErrandCore

/// The video session on the mediation page: when it is, on the viewer's clock with the court's
/// beside it, and the room; for the mediator, the hours on a chosen day that suit the court and
/// every party, each on their own clock, and the form that fixes the session.
struct SessionPanel: Encodable {
    struct Window: Encodable {
        let court: String
        let parties: [String]
    }

    let when: String?
    let whenCourt: String?
    let roomPath: String?
    // The mediator's finder.
    let findPath: String?
    let day: String
    let windows: [Window]
    /// Why there is no hour, in plain words, when there is none.
    let noHour: String?
    /// The day asked for was no date from today on.
    let dayProblem: String?
    let fixPath: String?
    let starts: [Choice]
    let lengths: [Choice]
    let notServed: String?

    static func make(_ req: Request, _ entry: MediationAccess.Entry, zone: TimeZone) async throws -> SessionPanel {
        let loaded = entry.loaded, mediation = loaded.mediation, court = loaded.court.zone
        let id = loaded.id.uuidString.lowercased()
        var session: VideoSession?
        if let sessionID = mediation.sessionID { session = try await VideoSession.find(sessionID, on: req.db) }
        let booked = session?.status == .booked ? session : nil
        var invited = false
        if let booked {
            invited = try await VideoParticipant.query(on: req.db).filter(\.$session.$id == booked.requireID())
                .filter(\.$account.$id == req.requireAccount().requireID()).first() != nil
        }
        let isMediator = entry.viewer == .mediator && mediation.ending == nil && mediation.acceptedAt != nil
        let calendar = req.dependencies.workingCalendar
        let today = CivilDay(req.now, in: court)
        let asked = try? req.query.get(String.self, at: "day"), askedDay = asked.flatMap(CivilDay.init)
        var day = askedDay ?? today.adding(days: 1)
        var dayProblem: String?
        // Said, not silently replaced: the mediator asked for another day than the one shown.
        if isMediator, let asked {
            let shown = today.adding(days: 1).description
            if askedDay == nil { dayProblem = req.t("mediation.hours.not_a_date", ["given": String(asked.prefix(20)), "day": shown]) }
            else if day < today { dayProblem = req.t("mediation.hours.bad_day", ["day": shown]) }
        }
        if !isMediator || day < today { day = today.adding(days: 1) }
        if asked == nil {
            while !calendar.isWorkingDay(day) && day < today.adding(days: 14) { day = day.adding(days: 1) }
        }
        var windows: [Window] = [], starts: [Choice] = [], noHour: String?
        if isMediator {
            let answer = req.mediations.hours(loaded, on: day)
            let span = { (interval: DateInterval, zone: TimeZone) in
                TimeDisplay.format(interval.start, in: zone) + " – " + TimeDisplay.clock(interval.end, in: zone)
            }
            windows = answer.windows.map { window in
                Window(court: span(window, court), parties: loaded.parties.map { "\($0.name): " + span(window, $0.zone) })
            }
            if !answer.courtSits {
                noHour = req.t("mediation.hours.court_closed", ["day": day.description])
            } else if answer.isEmpty {
                let names = answer.outOfHours.map { loaded.parties[$0].name }
                noHour = names.isEmpty ? req.t("mediation.hours.none", ["day": day.description])
                    : req.t("mediation.hours.none_for", ["day": day.description, "names": names.joined(separator: ", ")])
            }
            for window in answer.windows {
                var start = window.start
                // Starts at which the shortest session fits; a longer one is checked when it is fixed.
                while start.addingTimeInterval(3600) <= window.end {
                    if start > req.now.addingTimeInterval(3600) {
                        starts.append(Choice(value: String(Int(start.timeIntervalSince1970)), label: TimeDisplay.format(start, in: court), selected: false))
                    }
                    start = start.addingTimeInterval(30 * 60)
                }
            }
        }
        let unserved = loaded.parties.filter { $0.servedAt == nil }.map(\.name)
        return SessionPanel(
            when: booked.map { TimeDisplay.format($0.startsAt, in: zone) }, whenCourt: booked.map { TimeDisplay.format($0.startsAt, in: court) },
            roomPath: invited ? booked.map { SiteURL.videoRoom(id: $0.id!.uuidString.lowercased()).path } : nil,
            findPath: isMediator ? SiteURL.mediation(id: id).path : nil, day: day.description, windows: windows, noHour: noHour,
            dayProblem: dayProblem,
            fixPath: isMediator && !starts.isEmpty && unserved.isEmpty ? SiteURL.mediationSession(id: id).path : nil,
            starts: starts,
            lengths: MediationService.sessionLengths.map { Choice(value: String($0), label: req.t("mediation.session.minutes", ["count": String($0)]), selected: $0 == 60) },
            notServed: isMediator && !unserved.isEmpty ? req.t("mediation.session.not_served", ["names": unserved.joined(separator: ", ")]) : nil)
    }
}
