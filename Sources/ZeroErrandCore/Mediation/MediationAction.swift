import Foundation

/// One step of a mediation, with what it needs to know.
public enum MediationAction: Sendable, Equatable {
    /// The clerk accepts the request and names the mediator and the judge for confirmation.
    case accept(mediator: UUID, judge: UUID)
    /// A party opened the papers served on them: the time of service.
    case openPapers
    /// A party will not mediate; the mediation ends.
    case decline(reason: String)
    /// The mediator saves a version of the agreement (its text's hash).
    case saveAgreement(sha256: SHA256Hash)
    /// A party (or its agent) signs the version it was shown.
    case sign(shown: SHA256Hash)
    /// The judge confirms the signed agreement under this number (either rendering).
    case confirm(number: String)
    /// The judge will not confirm it.
    case refuse(reason: String)

    public var kind: MediationActionKind {
        switch self {
        case .accept: .accept
        case .openPapers: .openPapers
        case .decline: .decline
        case .saveAgreement: .saveAgreement
        case .sign: .sign
        case .confirm: .confirm
        case .refuse: .refuse
        }
    }
}

public enum MediationActionKind: String, Sendable, CaseIterable {
    case accept
    case openPapers = "open_papers"
    case decline
    case saveAgreement = "save_agreement"
    case sign
    case confirm
    case refuse

    /// Who takes this kind of step.
    public var role: MediationRole {
        switch self {
        case .accept: .clerk
        case .openPapers, .decline, .sign: .party
        case .saveAgreement: .mediator
        case .confirm, .refuse: .judge
        }
    }
}

public enum MediationRole: String, Sendable { case clerk, party, mediator, judge }

/// Who takes a step. A party acts through `account` (their own, or their agent's): the rules
/// record the account on a signature; whether that account may act for the party is the app's
/// record policy, asked before the rules.
public enum MediationActor: Sendable, Equatable {
    case clerk(UUID)
    case official(UUID)
    case party(UUID, account: UUID)

    public var accountID: UUID {
        switch self {
        case .clerk(let id), .official(let id): id
        case .party(_, let account): account
        }
    }
}
