import Foundation

/// Who may see what of a court mediation. The parties on each side share the mediation's papers
/// with the court, and keep their own side's notes and documents from the other side; the mediator
/// hears both sides (the private talks are theirs) and keeps private notes of their own.
extension RecordAccess {
    public struct MediationFacts: Sendable {
        public var court: UUID
        public var mediator: UUID?
        public var judge: UUID?
        /// Every account that speaks for a party (the party's own, an agent under a live mandate),
        /// with that party's side.
        public var partyAccounts: [UUID: MediationSide]
        /// The request has been filed with the court (before that it is its filer's draft).
        public var filed: Bool

        public init(court: UUID, mediator: UUID?, judge: UUID?, partyAccounts: [UUID: MediationSide], filed: Bool) {
            self.court = court
            self.mediator = mediator
            self.judge = judge
            self.partyAccounts = partyAccounts
            self.filed = filed
        }
    }

    public enum MediationViewer: Sendable, Equatable {
        case party(MediationSide)
        case mediator
        case judge
        /// Other staff of the court (the clerk who accepts and serves).
        case court

        /// The court's side of the table: the mediator, the judge, other staff.
        public var isOfficial: Bool { if case .party = self { false } else { true } }
    }

    /// Who is bound to see what, by the audience it was written for.
    public enum MediationAudience: String, Sendable, Codable, CaseIterable {
        /// Every party, the mediator, the judge and the court's staff.
        case shared
        /// The plaintiffs and the mediator.
        case plaintiff
        /// The defendants and the mediator.
        case defendant
        /// The mediator alone.
        case mediator
        /// The plaintiffs and the court (mediator, judge, staff): what the judge must see and the
        /// other side must not, such as a party's identity document.
        case plaintiffAndCourt = "plaintiff_court"
        /// The defendants and the court.
        case defendantAndCourt = "defendant_court"

        public static func side(_ side: MediationSide) -> MediationAudience { side == .plaintiff ? .plaintiff : .defendant }
        public static func sideAndCourt(_ side: MediationSide) -> MediationAudience { side == .plaintiff ? .plaintiffAndCourt : .defendantAndCourt }
    }

    /// How the actor stands to the mediation, or nil: nobody else learns it exists. A party speaks
    /// for one side only; an official named in it is the mediator or the judge; other staff of the
    /// court see it once it is filed.
    public static func mediationViewer(_ actor: Actor?, _ facts: MediationFacts) -> MediationViewer? {
        guard let actor else { return nil }
        switch actor.kind {
        case .citizen:
            return facts.partyAccounts[actor.accountID].map { .party($0) }
        case .staff:
            guard actor.departmentID == facts.court, facts.filed else { return nil }
            if actor.accountID == facts.mediator { return .mediator }
            if actor.accountID == facts.judge { return .judge }
            return .court
        case .assistant, .admin:
            return nil
        }
    }

    /// Whether the viewer may read something written for `audience`.
    public static func mayRead(_ viewer: MediationViewer, _ audience: MediationAudience) -> Bool {
        switch (viewer, audience) {
        case (_, .shared): true
        case (.mediator, _): true
        case (.judge, .plaintiffAndCourt), (.judge, .defendantAndCourt), (.court, .plaintiffAndCourt), (.court, .defendantAndCourt): true
        case (.party(let side), .plaintiff), (.party(let side), .defendant): audience == .side(side)
        case (.party(let side), .plaintiffAndCourt), (.party(let side), .defendantAndCourt): audience == .sideAndCourt(side)
        default: false
        }
    }

    /// The audiences a viewer may write for: a party for everyone, their own side, or their own
    /// side and the court; the mediator for anyone; the judge and the court for everyone.
    public static func writableAudiences(_ viewer: MediationViewer) -> [MediationAudience] {
        switch viewer {
        case .party(let side): [.shared, .side(side), .sideAndCourt(side)]
        case .mediator: MediationAudience.allCases
        case .judge, .court: [.shared]
        }
    }
}
