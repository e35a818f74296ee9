import Foundation

/// Record-level rules, beside `AccessPolicy`'s role rules: may this actor see or change this
/// record. Written once; every web page and API endpoint asks here, and a refusal is answered
/// like a record that does not exist.
public enum RecordAccess {
    /// What the rules need to know about a case.
    public struct CaseFacts: Sendable {
        public var applicant: UUID
        public var department: UUID
        public var submitted: Bool

        public init(applicant: UUID, department: UUID, submitted: Bool) {
            self.applicant = applicant
            self.department = department
            self.submitted = submitted
        }
    }

    /// A case, its documents, messages and timeline belong to its applicant (drafts included) and,
    /// once submitted, to its office; the citizen's and the office's pages each ask their own rule.
    public static func isApplicant(_ actor: Actor?, of facts: CaseFacts) -> Bool {
        guard let actor else { return false }
        return actor.kind == .citizen && actor.accountID == facts.applicant
    }

    /// Staff of the case's office, once it was submitted (a draft is nobody's business but its author's).
    public static func isOfficeStaff(_ actor: Actor?, of facts: CaseFacts) -> Bool {
        guard let actor else { return false }
        return actor.kind == .staff && actor.departmentID == facts.department && facts.submitted
    }

    public enum RoomRole: Sendable { case applicant, staff, other }

    /// An invitation to a session's room holds only while the invited person still holds the role
    /// that earned it: the applicant of the case, or staff of the session's office (a moved or
    /// suspended official loses the room at once; so does an assistant moved away from the service
    /// point hosting the session).
    public static func mayEnterRoom(_ actor: Actor?, as role: RoomRole, sessionDepartment: UUID, applicant: UUID,
                                    sessionPoint: UUID? = nil) -> Bool {
        guard let actor else { return false }
        switch role {
        case .applicant: return actor.kind == .citizen && actor.accountID == applicant
        case .staff: return actor.kind == .staff && actor.departmentID == sessionDepartment
        case .other:
            if actor.kind == .assistant { return sessionPoint != nil && actor.servicePointID == sessionPoint }
            return actor.kind == .citizen
        }
    }

    /// A session on the office's pages, and its recordings (the office's evidence): staff of the
    /// session's office, invited or not; never the citizen or other offices.
    public static func mayWorkSession(_ actor: Actor?, sessionDepartment: UUID) -> Bool {
        guard let actor else { return false }
        return actor.kind == .staff && actor.departmentID == sessionDepartment
    }

    /// A mandate as the case rules see it: who accepted it, for whom, on what terms.
    public struct ProxyFacts: Sendable {
        public var holder: UUID?
        public var principal: UUID
        public var mandate: MandateFacts

        public init(holder: UUID?, principal: UUID, mandate: MandateFacts) {
            self.holder = holder
            self.principal = principal
            self.mandate = mandate
        }
    }

    /// A relative acting on the principal's case under the mandate the case names: nil when
    /// `action` is allowed today, otherwise why not. Asked on every request, so a revoked or
    /// expired mandate stops working at once.
    public static func proxyRefusal(_ actor: Actor?, _ proxy: ProxyFacts, for facts: CaseFacts, action: ProxyAction,
                                    matterCode: String, caseID: UUID?, today: CivilDay) -> MandateRefusal? {
        guard let actor, actor.kind == .citizen, let holder = proxy.holder, actor.accountID == holder,
              holder != facts.applicant, proxy.principal == facts.applicant else { return .notHolder }
        return MandateRules.refusal(proxy.mandate, action: action, matterCode: matterCode, caseID: caseID, today: today)
    }

    /// How someone stands to a mandate, for its pages and its document.
    public enum MandateViewer: Sendable, Equatable { case principal, invitee, holder, office }

    /// The principal; the invited relative (signed in with the invited address confirmed) while the
    /// invitation is open; the relative who accepted it; staff of an office with a submitted case
    /// under it. Nobody else learns it exists.
    public static func mandateViewer(_ actor: Actor?, principal: UUID, holder: UUID?, status: MandateStatus,
                                     actorHasInvitedAddress: Bool, officeHasCase: Bool) -> MandateViewer? {
        guard let actor else { return nil }
        switch actor.kind {
        case .citizen:
            if actor.accountID == principal { return .principal }
            if let holder { return actor.accountID == holder ? .holder : nil }
            return status == .invited && actorHasInvitedAddress ? .invitee : nil
        case .staff:
            return officeHasCase && actor.departmentID != nil ? .office : nil
        case .assistant, .admin:
            return nil
        }
    }
}
