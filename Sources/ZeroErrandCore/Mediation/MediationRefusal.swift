/// Why a step of a mediation was refused. Nothing changes when one is returned. Raw values are
/// stable: the app translates `mediation.refused.<raw>`.
public enum MediationRefusal: String, Error, Sendable, CaseIterable {
    /// The mediation was declined, confirmed or refused: nothing more happens to it.
    case ended
    /// The step belongs to another role (a party tried the judge's step, say).
    case wrongRole = "wrong_role"
    /// The official has a stake in the dispute (a party or an agent of one).
    case officialInterested = "official_interested"

    case alreadyAccepted = "already_accepted"
    case notAccepted = "not_accepted"
    /// The clerk named the same person as mediator and judge.
    case judgeIsMediator = "judge_is_mediator"
    /// The official is not the mediator named for this mediation.
    case notTheMediator = "not_the_mediator"
    /// The official is not the judge named for this mediation.
    case notTheJudge = "not_the_judge"
    /// The party is not one of this mediation's parties.
    case notAParty = "not_a_party"

    /// The papers were already opened: service is recorded once.
    case alreadyServed = "already_served"
    /// A party signs only after the papers were served on them.
    case notServed = "not_served"

    /// A "new version" with the text already current.
    case agreementUnchanged = "agreement_unchanged"
    case noAgreement = "no_agreement"
    /// The version shown to the signer is not the current one: it changed after it was shown.
    case agreementChanged = "agreement_changed"
    case alreadySigned = "already_signed"
    /// A party has not signed the current version.
    case signaturesMissing = "signatures_missing"

    /// Not a number of this court's confirmation rulings in either rendering.
    case malformedNumber = "malformed_number"
    case missingReason = "missing_reason"
    case reasonTooLong = "reason_too_long"

    public var translationKey: String { "mediation.refused.\(rawValue)" }
}
