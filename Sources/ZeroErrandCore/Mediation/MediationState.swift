import Foundation

/// Which side of the dispute a party is on: the side that asks (plaintiffs, 申请人) or the side
/// asked (defendants, 被申请人). Private notes and documents belong to a side.
public enum MediationSide: String, Sendable, Codable, CaseIterable {
    case plaintiff
    case defendant

    public var other: MediationSide { self == .plaintiff ? .defendant : .plaintiff }
}

/// A party as the rules know it: who (the party's own id, not an account: a company or a person
/// who acts through an agent is still one party) and on which side.
public struct MediationParty: Sendable, Hashable {
    public var id: UUID
    public var side: MediationSide

    public init(id: UUID, side: MediationSide) {
        self.id = id
        self.side = side
    }
}

/// The agreement as it stands: the exact text every party is shown, by its hash, and how many
/// times it has been saved (1 for the first draft; every change adds one).
public struct MediationAgreementVersion: Sendable, Equatable {
    public var sha256: SHA256Hash
    public var version: Int

    public init(sha256: SHA256Hash, version: Int) {
        self.sha256 = sha256
        self.version = version
    }
}

/// One party's signature on one version of the agreement, made by the party or its agent
/// (`signer` is the account that signed). Never removed: a later version only stops it counting.
public struct MediationSignature: Sendable, Hashable {
    public var party: UUID
    public var signer: UUID
    public var sha256: SHA256Hash
    public var version: Int

    public init(party: UUID, signer: UUID, sha256: SHA256Hash, version: Int) {
        self.party = party
        self.signer = signer
        self.sha256 = sha256
        self.version = version
    }
}

/// Who runs the mediation and who decides on confirmation: two different judges or officials of
/// the court, named by its clerk when the request is accepted.
public struct MediationAssignment: Sendable, Equatable {
    public var mediator: UUID
    public var judge: UUID

    public init(mediator: UUID, judge: UUID) {
        self.mediator = mediator
        self.judge = judge
    }
}

/// How a mediation ended, when it has.
public enum MediationEnding: Sendable, Equatable {
    /// A party would not (or no longer) mediate; the plaintiff may go to court.
    case declined(party: UUID, reason: String, at: Date)
    /// The judge confirmed the signed agreement under this number.
    case confirmed(judge: UUID, number: CourtCaseNumber, version: Int, at: Date)
    /// The judge would not confirm it, for these reasons.
    case refused(judge: UUID, reason: String, at: Date)
}

/// Everything the rules decide on. The app loads it from its rows, applies one step, and stores
/// the result only when the rules accept the step.
public struct MediationState: Sendable, Equatable {
    /// The court hearing it; confirmation numbers are the court's.
    public var court: CourtCode
    /// Every party on both sides, fixed when the request is filed.
    public var parties: [MediationParty]
    /// Accounts with a stake in the dispute (the parties' own accounts and their agents): none of
    /// them may be the mediator or the judge. The app lists them; the rules cannot know them.
    public var interested: Set<UUID>
    public var assignment: MediationAssignment?
    /// Parties who have opened the papers served on them (the filer counts as served at filing).
    public var served: Set<UUID>
    public var agreement: MediationAgreementVersion?
    public var signatures: [MediationSignature]
    public var ending: MediationEnding?

    public init(court: CourtCode, parties: [MediationParty], interested: Set<UUID>, served: Set<UUID> = [],
                assignment: MediationAssignment? = nil, agreement: MediationAgreementVersion? = nil,
                signatures: [MediationSignature] = [], ending: MediationEnding? = nil) {
        self.court = court
        self.parties = parties
        self.interested = interested
        self.served = served
        self.assignment = assignment
        self.agreement = agreement
        self.signatures = signatures
        self.ending = ending
    }

    public func party(_ id: UUID) -> MediationParty? { parties.first { $0.id == id } }

    /// The signatures that count: those on the current version (its hash and its number, so a
    /// return to an earlier text does not revive signatures given before it changed in between).
    public var currentSignatures: [MediationSignature] {
        guard let agreement else { return [] }
        return signatures.filter { $0.sha256 == agreement.sha256 && $0.version == agreement.version }
    }

    /// Parties whose signature on the current version is still missing, in filing order.
    public var unsignedParties: [MediationParty] {
        let signed = Set(currentSignatures.map(\.party))
        return parties.filter { !signed.contains($0.id) }
    }

    /// Parties not yet served, in filing order: the clerk sees them as "not served".
    public var unservedParties: [MediationParty] { parties.filter { !served.contains($0.id) } }

    public var isEnded: Bool { ending != nil }
}
