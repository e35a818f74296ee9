/// Why a step of a notarial act was refused. Nothing about the act changes when one is returned.
/// Raw values are stable: the app translates `notarization.refused.<raw>`.
public enum NotarialActRefusal: String, Error, Sendable, CaseIterable {
    /// The certificate was revoked: the act is over, nothing more happens to it.
    case alreadyRevoked = "already_revoked"
    /// A person tried a notary's step, or a notary tried to sign.
    case wrongRole = "wrong_role"
    /// The notary is the applicant, a party, a signer or otherwise interested in the case.
    case notaryInterested = "notary_interested"

    /// The document can no longer change: the act was approved.
    case documentLocked = "document_locked"
    /// A "revision" to the text already current.
    case documentUnchanged = "document_unchanged"
    /// There is no document yet to certify or sign.
    case noDocument = "no_document"

    /// No certification session has been opened (or a revision closed the last one).
    case noSession = "no_session"
    /// The session named is not the act's certification session.
    case wrongSession = "wrong_session"
    /// The certification was recorded: its session is over, nothing more is signed in it.
    case sessionClosed = "session_closed"
    case alreadyCertified = "already_certified"
    case identityNotConfirmed = "identity_not_confirmed"
    case willNotStated = "will_not_stated"
    case noRecording = "no_recording"

    /// The signer is not one of the act's required signers.
    case notRequiredSigner = "not_required_signer"
    /// The text the signer was shown is not the current version: it changed after it was shown.
    case documentChanged = "document_changed"
    /// The signer already signed this version in this session.
    case alreadySigned = "already_signed"

    /// A required signer has not signed the current version in the certification session.
    case signaturesMissing = "signatures_missing"
    case notCertified = "not_certified"
    case alreadyApproved = "already_approved"

    case notApproved = "not_approved"
    case alreadyIssued = "already_issued"
    /// Not a certificate number of this office in either rendering.
    case malformedNumber = "malformed_number"

    case notIssued = "not_issued"
    /// The revocation reason is empty once trimmed.
    case missingReason = "missing_reason"
    /// The reason is longer than `CaseLifecycle.maxTextLength` characters.
    case reasonTooLong = "reason_too_long"

    public var translationKey: String { "notarization.refused.\(rawValue)" }
}
