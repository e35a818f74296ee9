import Foundation

/// How the relative is related to the citizen: only close relatives may hold a mandate.
public enum Relationship: String, Sendable, CaseIterable, Codable {
    case spouse, parent, child, sibling, otherClose = "other_close"
}

/// Something a relative may try to do for the citizen. Each is checked on the server against the
/// mandate on every request; the raw value names it in errors and the audit log.
public enum ProxyAction: String, Sendable, CaseIterable, Codable {
    /// Open the case, its timeline, messages and documents.
    case view
    /// Start an application in the citizen's name.
    case apply
    /// Upload materials or supplements.
    case upload
    case message
    /// Submit, resubmit or withdraw the application.
    case submit
    /// Sign documents in the citizen's name (needs the "may sign" limit).
    case sign
    /// Take the result (a card, a certificate) at the counter (needs "may collect").
    case collect
    /// Pay fees (needs "may pay").
    case pay
}

/// What a mandate covers: named matters of the catalogue (any case of the citizen in them that
/// names the mandate), or one existing case.
public enum MandateScope: Sendable, Equatable {
    case matters(Set<String>)
    case oneCase(UUID)
}

/// Where a mandate stands. Raw values are stored.
public enum MandateStatus: String, Sendable, CaseIterable, Codable {
    /// Written, not yet signed by the citizen.
    case draft
    /// Signed; the relative has been invited and has not answered.
    case invited
    case accepted
    case declined
    case revoked
}

/// The limits written into a mandate.
public struct MandateLimits: Sendable, Equatable, Codable {
    public var mayCollect: Bool
    public var maySign: Bool
    public var mayPay: Bool

    public init(mayCollect: Bool, maySign: Bool, mayPay: Bool) {
        self.mayCollect = mayCollect
        self.maySign = maySign
        self.mayPay = mayPay
    }
}

/// What the rules need to know about one mandate.
public struct MandateFacts: Sendable, Equatable {
    public var status: MandateStatus
    public var scope: MandateScope
    /// Days in the office's zone (Asia/Shanghai), both included.
    public var validFrom: CivilDay
    public var validUntil: CivilDay
    public var limits: MandateLimits

    public init(status: MandateStatus, scope: MandateScope, validFrom: CivilDay, validUntil: CivilDay, limits: MandateLimits) {
        self.status = status
        self.scope = scope
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.limits = limits
    }
}

/// Why a mandate does not allow something, in the order the checks run.
public enum MandateRefusal: String, Sendable, Equatable, CaseIterable {
    /// The person asking is not the relative who accepted it (or the case is not the principal's).
    case notHolder = "not_holder"
    case notAccepted = "not_accepted"
    case revoked
    case notYetValid = "not_yet_valid"
    case expired
    case outOfScope = "out_of_scope"
    case limitNotGranted = "limit_not_granted"
}

/// The one rule for acting under a mandate, asked by every page and endpoint a relative can reach.
public enum MandateRules {
    /// Longest validity a citizen may give, in days: a mandate is for a matter, not for life.
    public static let longestValidity = 366 * 2

    /// Nil when the holder of an accepted mandate may take `action` on a case of `matterCode`
    /// (`caseID` nil while applying) on `today`; otherwise why not.
    public static func refusal(_ mandate: MandateFacts, action: ProxyAction, matterCode: String, caseID: UUID?,
                               today: CivilDay) -> MandateRefusal? {
        if let problem = validity(mandate, today: today) { return problem }
        switch mandate.scope {
        case .matters(let codes):
            guard codes.contains(matterCode) else { return .outOfScope }
        case .oneCase(let id):
            // A mandate for one case cannot start another.
            guard let caseID, caseID == id, action != .apply else { return .outOfScope }
        }
        switch action {
        case .sign where !mandate.limits.maySign, .collect where !mandate.limits.mayCollect, .pay where !mandate.limits.mayPay:
            return .limitNotGranted
        default:
            return nil
        }
    }

    /// Whether the mandate is in force at all today, whatever the action.
    public static func validity(_ mandate: MandateFacts, today: CivilDay) -> MandateRefusal? {
        switch mandate.status {
        case .revoked: return .revoked
        case .draft, .invited, .declined: return .notAccepted
        case .accepted: break
        }
        if today < mandate.validFrom { return .notYetValid }
        if today > mandate.validUntil { return .expired }
        return nil
    }

    public enum TermsProblem: String, Sendable, Equatable {
        case endsBeforeStart = "ends_before_start"
        case endsInPast = "ends_in_past"
        case startsInPast = "starts_in_past"
        case tooLong = "too_long"
    }

    /// An end on or after the start, neither in the past (a power of attorney cannot cover what
    /// was done before it was signed), at most `longestValidity` days. Checked whatever else is
    /// wrong with the form, so every mistake is shown at once.
    public static func dateProblem(validFrom: CivilDay, validUntil: CivilDay, today: CivilDay) -> TermsProblem? {
        if validUntil < validFrom { return .endsBeforeStart }
        if validUntil < today { return .endsInPast }
        if validFrom < today { return .startsInPast }
        if validFrom.days(until: validUntil) > longestValidity { return .tooLong }
        return nil
    }
}
