import Foundation

/// Who performs an action on a case. A proxy acting under a mandate acts as the applicant;
/// whether a given person may act for a role is decided by authorization, not here.
public enum CaseRole: String, Sendable, CaseIterable, Codable {
    case applicant, office
}

/// The kind of an action without its details: what the transition table, buttons, the audit
/// log and the timeline talk about. The raw value is the action's stable name.
public enum CaseActionKind: String, Sendable, CaseIterable, Codable {
    case submit
    case withdraw
    case accept
    case acceptProvisionally = "accept_provisionally"
    case notAccept = "not_accept"
    case startReview = "start_review"
    case requestSupplement = "request_supplement"
    case resubmit
    case approve
    case refuse
    case issueResult = "issue_result"
    /// A physical result (an ID card, a booklet) has been made; the case stays approved.
    case recordProduction = "record_production"
    /// A physical result waits at the counter: the result is issued without a file.
    case readyForCollection = "ready_for_collection"
    /// Someone took the result at the counter (the applicant, or a relative with a pass); the case closes.
    case recordCollection = "record_collection"
    case close

    /// Approving or refusing: the decision on the application, which the matter's rule governs.
    public var isDecision: Bool { self == .approve || self == .refuse }

    /// The only role that may perform this action.
    public var role: CaseRole {
        switch self {
        case .submit, .withdraw, .resubmit: .applicant
        case .accept, .acceptProvisionally, .notAccept, .startReview, .requestSupplement,
             .approve, .refuse, .issueResult, .recordProduction, .readyForCollection, .recordCollection, .close: .office
        }
    }
}

/// Something an applicant or an office does to a case, with the details the rules need.
public enum CaseAction: Sendable, Equatable {
    case submit
    case withdraw
    case accept
    /// Accept although some materials are missing: `missing` holds the indices (into the matter's
    /// list of materials) of those the catalogue allows to be supplied later, by `supplyBy`.
    case acceptProvisionally(missing: [Int], supplyBy: Date)
    case notAccept(reason: String)
    case startReview
    case requestSupplement(items: [String], dueBy: Date)
    case resubmit
    case approve(note: String)
    case refuse(reason: String)
    case issueResult
    case recordProduction(note: String)
    case readyForCollection
    /// `collector` says who took the result, as the counter recorded it.
    case recordCollection(collector: String)
    case close

    public var kind: CaseActionKind {
        switch self {
        case .submit: .submit
        case .withdraw: .withdraw
        case .accept: .accept
        case .acceptProvisionally: .acceptProvisionally
        case .notAccept: .notAccept
        case .startReview: .startReview
        case .requestSupplement: .requestSupplement
        case .resubmit: .resubmit
        case .approve: .approve
        case .refuse: .refuse
        case .issueResult: .issueResult
        case .recordProduction: .recordProduction
        case .readyForCollection: .readyForCollection
        case .recordCollection: .recordCollection
        case .close: .close
        }
    }

    /// Stable name for the audit log and the timeline, e.g. "request_supplement".
    public var name: String { kind.rawValue }

    /// The only role that may perform this action.
    public var role: CaseRole { kind.role }
}
