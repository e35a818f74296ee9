/// Where a case stands. The raw values are stored in the database and used in URLs and
/// translation keys (`case.status.<raw>`), so they never change.
public enum CaseStatus: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case accepted
    case notAccepted = "not_accepted"
    case inReview = "in_review"
    case supplementRequested = "supplement_requested"
    case resubmitted
    case approved
    case refused
    case resultIssued = "result_issued"
    case closed
    case withdrawn

    /// Nothing can happen to the case any more.
    public var isTerminal: Bool {
        switch self {
        case .closed, .withdrawn: true
        default: false
        }
    }

    /// The office has decided (or declined to take the case up); the applicant can no longer withdraw.
    public var isDecided: Bool {
        switch self {
        case .approved, .refused, .resultIssued, .closed, .notAccepted: true
        default: false
        }
    }

    /// The time limit matters: running, or paused for a supplement.
    public var clockApplies: Bool { clockRuns || self == .supplementRequested }

    /// The legal time limit is running. It starts at acceptance, is paused while the applicant
    /// supplies materials (`supplementRequested`) and stops at a decision or a withdrawal.
    public var clockRuns: Bool {
        switch self {
        case .accepted, .inReview, .resubmitted: true
        default: false
        }
    }
}
