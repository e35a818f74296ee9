import Fluent
import Foundation
import Vapor

/// The room page: the call, consent to recording, and for staff the recorder and the outcome form.
struct VideoRoomPage: Encodable {
    struct Person: Encodable {
        let name: String
        let role: String
        let consented: Bool
    }
    struct Recording: Encodable {
        let started: String
        let state: String
        let size: String
        let sha256: String
        let path: String?
    }

    let sessionID: String
    let number: String
    let matter: String
    let office: String
    /// The viewer's side first: a citizen's own time, or for staff the office's time; the other
    /// side's time beside it ("Office time:" or "Applicant's time:").
    let when: String
    let otherLabel: String
    let whenOther: String
    /// "The applicant joins from <point>, with its assistant", for a session taken at a service point.
    let place: String?
    let status: String
    let isOpen: Bool
    let role: String
    let selfName: String
    let isStaff: Bool
    let paths: [String: String]
    let casePath: String
    /// For a notarial act: where the citizen signs, or where the notary certifies (in a new tab,
    /// so the call goes on).
    let notarialPath: String?
    /// For the mediator of a mediation session: where the private-session buttons post.
    let caucusPath: String?
    /// Translated texts for video.js, as JSON made safe to sit inside a script element.
    let stringsJSON: String
    let people: [Person]
    let outcomes: [Choice]
    let outcome: String?
    let outcomeNote: String?
    let colleagues: [Choice]
    let recordings: [Recording]

    static let scriptStrings = [
        "state_idle", "state_connecting", "state_waiting", "state_connected", "state_reconnecting", "state_failed", "state_left",
        "state_signal_lost", "state_ended", "camera_denied", "audio_only_on", "audio_only_off", "consent_waiting", "consent_complete",
        "consent_given", "recording_on", "recording_uploading", "recording_done", "recording_failed", "recording_resuming",
        "peer_joined", "peer_left", "peer_audio_only", "room_full", "not_allowed", "official",
        "caucus_you", "caucus_other", "caucus_ended", "caucus_failed",
    ]

    static func make(_ entry: VideoAccess.Entry, req: Request) async throws -> VideoRoomPage {
        let session = entry.session
        let record = entry.record
        let id = try session.requireID().uuidString.lowercased()
        let locale = req.locale
        let isStaff = entry.participant.role == .staff
        let participants = try await VideoParticipant.query(on: req.db).filter(\.$session.$id == session.requireID()).with(\.$account).all()
        var strings: [String: String] = [:]
        for key in scriptStrings { strings[key] = req.t("video.js.\(key)") }
        let stringsData = try JSONSerialization.data(withJSONObject: strings, options: [.sortedKeys])
        let stringsJSON = String(decoding: stringsData, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
        var colleagues: [Choice] = []
        var recordings: [Recording] = []
        if isStaff {
            let invited = Set(participants.map(\.$account.id))
            colleagues = try await Account.query(on: req.db).filter(\.$department.$id == record.$department.id).filter(\.$kind == .staff)
                .sort(\.$displayName).all().filter { !invited.contains($0.id ?? UUID()) }
                .map { Choice(value: $0.id?.uuidString.lowercased() ?? "", label: $0.displayName, selected: false) }
            recordings = try await VideoRecording.query(on: req.db).filter(\.$session.$id == session.requireID()).sort(\.$startedAt).all().map {
                Recording(started: req.showTime($0.startedAt), state: req.t("video.recording.state.\($0.status.rawValue)"),
                          size: $0.size.map(CasePresenter.size) ?? "",
                          sha256: $0.sha256 ?? "",
                          path: $0.status == .complete ? SiteURL.officeVideoRecordingFile(id: id, recording: $0.id?.uuidString.lowercased() ?? "").path : nil)
            }
        }
        let caseID = record.id?.uuidString.lowercased() ?? ""
        // A mediation's call belongs to the mediation's page, which every party can open (the case is the filer's).
        var mediation: Mediation?
        if session.purpose == .mediation { mediation = try await Mediation.query(on: req.db).filter(\.$sessionID == session.requireID()).first() }
        let mediationPath = mediation.map { SiteURL.mediation(id: $0.id!.uuidString.lowercased()).path }
        let applicantZone = participants.first { $0.role == .applicant }?.account.zone ?? record.department.zone
        let pointName = try await session.$point.get(on: req.db)?.name(locale)
        return VideoRoomPage(
            sessionID: id, number: record.number, matter: record.matter.name(locale), office: record.department.name(locale),
            when: req.showTime(session.startsAt, in: isStaff ? record.department.zone : req.viewerTimeZone),
            otherLabel: req.t(isStaff ? "video.when_applicant_label" : "video.when_office_label"),
            whenOther: req.showTime(session.startsAt, in: isStaff ? applicantZone : record.department.zone),
            place: pointName.map { req.t("video.room.at_point", ["point": $0]) },
            status: req.t("video.status.\(session.status.rawValue)"), isOpen: session.status == .booked,
            role: entry.participant.role.rawValue, selfName: try req.requireAccount().displayName, isStaff: isStaff,
            paths: ["ws": SiteURL.videoSignal(id: id).path, "ice": SiteURL.videoICE(id: id).path,
                    "consent": SiteURL.videoConsent(id: id).path, "recordings": SiteURL.videoRecordings(id: id).path,
                    "outcome": SiteURL.officeVideoOutcome(id: id).path, "participants": SiteURL.officeVideoParticipants(id: id).path],
            casePath: mediationPath ?? (isStaff ? SiteURL.officeCase(id: caseID).path : SiteURL.caseDetail(id: caseID).path),
            notarialPath: req.dependencies.notarial.kind(of: record.matter.code) == nil || session.status != .booked ? nil
                : isStaff ? SiteURL.officeCase(id: caseID).path + "#notarization" : SiteURL.caseNotarySign(id: caseID).path,
            caucusPath: mediation.flatMap { $0.$mediator.id == req.currentAccount?.id && session.status == .booked
                ? SiteURL.mediationCaucus(id: $0.id!.uuidString.lowercased()).path : nil },
            stringsJSON: stringsJSON,
            // A citizen sees officials as the case page shows them: by office and role, not by name.
            people: participants.map {
                Person(name: $0.role == .staff && !isStaff ? req.t("video.js.official") : $0.account.displayName,
                       role: $0.account.kind == .assistant
                           ? req.t("video.role.assistant", ["point": pointName ?? ""]) : req.t("video.role.\($0.role.rawValue)"),
                       consented: $0.consentedAt != nil)
            },
            outcomes: session.purpose.outcomes.map { Choice(value: $0.rawValue, label: req.t("video.outcome.\($0.rawValue)"), selected: false) },
            outcome: session.outcome.map { req.t("video.outcome.\($0.rawValue)") }, outcomeNote: session.outcomeNote,
            colleagues: colleagues, recordings: recordings)
    }
}
