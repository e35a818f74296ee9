import Foundation

/// Who may decide a case (approve or refuse it), as the catalogue says for each matter: a clerk
/// accepts and asks for supplements; the decision needs the matter's deciding role (a reviewer,
/// notary or judge) or a supervisor; and where the matter asks for four eyes, nobody decides a
/// case they prepared.
public struct DecisionRule: Sendable, Equatable {
    public var decidedBy: StaffRole
    public var fourEyes: Bool

    public init(decidedBy: StaffRole, fourEyes: Bool) {
        self.decidedBy = decidedBy
        self.fourEyes = fourEyes
    }

    /// The usual deciding role of an office of this kind, where the catalogue names none.
    public static func defaultRole(departmentKind: String) -> StaffRole {
        switch departmentKind {
        case "notary_office": .notary
        case "court": .judge
        default: .reviewer
        }
    }

    public enum Refusal: Sendable, Equatable {
        /// The decider lacks the role (names the role that is needed).
        case needsRole(StaffRole)
        /// Four eyes: the decider worked on the case before.
        case preparedBySelf
    }

    /// Nil when `decider`, holding `roles`, may decide a case that `preparers` worked on.
    public func refusal(decider: UUID, roles: Set<StaffRole>, preparers: Set<UUID>) -> Refusal? {
        guard roles.contains(decidedBy) || roles.contains(.supervisor) else { return .needsRole(decidedBy) }
        if fourEyes && preparers.contains(decider) { return .preparedBySelf }
        return nil
    }
}
