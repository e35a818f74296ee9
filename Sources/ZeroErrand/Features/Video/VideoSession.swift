import Fluent
import Foundation
import ZeroErrandCore

/// One booked video appointment for a step of a case: who hosts it, when, and how it ended.
final class VideoSession: Model, @unchecked Sendable {
    static let schema = "video_sessions"

    enum Status: String, Codable, Sendable { case booked, cancelled, completed }

    /// What the call is for: an identity (and will) check on a case, or a court mediation with
    /// every party (booked by the mediator, not from the office's published hours).
    enum Purpose: String, Codable, Sendable, CaseIterable { case identity, mediation }

    /// How the staff member ended the session; stored and shown on the case.
    enum Outcome: String, Codable, Sendable, CaseIterable {
        case identityConfirmed = "identity_confirmed"
        case identityNotConfirmed = "identity_not_confirmed"
        case applicantAbsent = "applicant_absent"
        case technicalFailure = "technical_failure"
        /// A mediation session took place (it confirms nobody's identity).
        case held
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "department_id") var department: Department
    @Parent(key: "host_id") var host: Account
    @Field(key: "purpose") var purpose: Purpose
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "status") var status: Status
    @OptionalField(key: "slot_key") var slotKey: String?
    @OptionalField(key: "active_key") var activeKey: String?
    /// Raised at every change, for the iCalendar SEQUENCE (a calendar keeps the newest).
    @Field(key: "sequence") var sequence: Int
    @Parent(key: "booked_by") var bookedBy: Account
    /// The overseas service point whose room the citizen joins from, with its assistant; nil from home.
    @OptionalParent(key: "point_id") var point: ServicePoint?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "outcome") var outcome: Outcome?
    @OptionalField(key: "outcome_note") var outcomeNote: String?
    @OptionalField(key: "reminded_day_at") var remindedDayAt: Date?
    @OptionalField(key: "reminded_hour_at") var remindedHourAt: Date?
    @Children(for: \.$session) var participants: [VideoParticipant]

    init() {}

    /// Every column, for the case page's one read of what belongs to the case (see `ModelColumns`).
    static let columns = ModelColumns<VideoSession> {
        [$0.$id, $0.$caseRecord, $0.$department, $0.$host, $0.$purpose, $0.$startsAt, $0.$endsAt, $0.$status, $0.$slotKey,
         $0.$activeKey, $0.$sequence, $0.$bookedBy, $0.$point, $0.$createdAt, $0.$cancelledAt, $0.$endedAt, $0.$outcome,
         $0.$outcomeNote, $0.$remindedDayAt, $0.$remindedHourAt]
    }

    /// Gives up the slot and the case step; the raised sequence makes calendars drop the event.
    func cancel(at now: Date) {
        status = .cancelled
        slotKey = nil
        activeKey = nil
        cancelledAt = now
        sequence += 1
    }

    /// One staff member can hold one appointment at one instant.
    static func slotKey(host: UUID, start: Date) -> String {
        "\(host.uuidString.lowercased())@\(Int(start.timeIntervalSince1970))"
    }

    /// One live booking per step of a case.
    static func activeKey(caseID: UUID, purpose: Purpose) -> String {
        "\(caseID.uuidString.lowercased()):\(purpose.rawValue)"
    }
}

/// Someone invited into a session's room; only they may enter it. Consent to recording is
/// recorded here (who and when) as well as in the audit log.
final class VideoParticipant: Model, @unchecked Sendable {
    static let schema = "video_participants"

    enum Role: String, Codable, Sendable {
        case applicant, staff, other

        var policyRole: RecordAccess.RoomRole {
            switch self {
            case .applicant: .applicant
            case .staff: .staff
            case .other: .other
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: VideoSession
    @Parent(key: "account_id") var account: Account
    @Field(key: "role") var role: Role
    @OptionalField(key: "consented_at") var consentedAt: Date?

    init() {}

    init(sessionID: UUID, accountID: UUID, role: Role) {
        $session.id = sessionID
        $account.id = accountID
        self.role = role
    }
}

extension VideoSession.Purpose {
    /// The outcomes an official may end a session of this purpose with: an identity check ends in
    /// a finding on the applicant's identity, a mediation session only in whether it was held.
    var outcomes: [VideoSession.Outcome] {
        switch self {
        case .identity: [.identityConfirmed, .identityNotConfirmed, .applicantAbsent, .technicalFailure]
        case .mediation: [.held, .applicantAbsent, .technicalFailure]
        }
    }
}
