import Foundation

/// Who takes a step of a notarial act. The account is the actor's; the case tells which side it
/// is on. Whether this account really is a notary of the office (or may revoke for it) is
/// authorization's question (`AccessPolicy`, `DecisionRule`); these rules only need the side and
/// the id, to refuse the wrong side and a notary with a stake in the case.
public enum NotarialActor: Sendable, Hashable {
    /// A notary of the office handling the act.
    case notary(UUID)
    /// A person taking part as a citizen: the applicant, a party.
    case person(UUID)

    public var accountID: UUID {
        switch self {
        case .notary(let id), .person(let id): id
        }
    }
}

/// The kind of a step without its details: what the rules table, the audit log and the timeline
/// talk about. The raw value is the stable name.
public enum NotarialActionKind: String, Sendable, CaseIterable {
    case prepareDocument = "prepare_document"
    case openCertification = "open_certification"
    case sign
    case certify
    case approve
    case issue
    case revoke

    /// Signing is the signer's own act; every other step is the notary's.
    public var isNotarys: Bool { self != .sign }
}

/// One step of a notarial act, with what the rules need. Who takes it is the `NotarialActor`
/// given beside it, so no step names its actor twice.
public enum NotarialAction: Sendable, Equatable {
    /// The notary sets the text to sign (the first version, or a revision).
    case prepareDocument(sha256: SHA256Hash)
    /// The notary starts the video certification session `session` with the signers.
    case openCertification(session: UUID)
    /// A required signer signs the document they were shown (by its hash) in the video session.
    case sign(shownSHA256: SHA256Hash, session: UUID)
    /// The notary records, at the end of `session`, what they established in it. Nil recording:
    /// nothing was recorded (no consent, or the recording failed).
    case certify(session: UUID, identityConfirmed: Bool, willStated: Bool, recordingSHA256: SHA256Hash?)
    case approve
    /// The certificate's number as the office assigned it, in either rendering.
    case issue(number: String)
    case revoke(reason: String)

    public var kind: NotarialActionKind {
        switch self {
        case .prepareDocument: .prepareDocument
        case .openCertification: .openCertification
        case .sign: .sign
        case .certify: .certify
        case .approve: .approve
        case .issue: .issue
        case .revoke: .revoke
        }
    }

    /// Stable name for the audit log and the timeline, e.g. "open_certification".
    public var name: String { kind.rawValue }
}
