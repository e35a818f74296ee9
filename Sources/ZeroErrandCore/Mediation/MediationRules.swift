import Foundation

/// The rules of a court mediation, from the request to the judge's confirmation. Pure: the caller
/// loads the state, applies one step, and stores the result (with its audit event) only on success.
///
/// | step           | by       | needs (refusal when not)                                                                              | effect |
/// |----------------|----------|-------------------------------------------------------------------------------------------------------|--------|
/// | accept         | clerk    | not accepted (already_accepted); mediator ≠ judge (judge_is_mediator); neither interested (official_interested) | assignment |
/// | open_papers    | party    | a party (not_a_party); accepted (not_accepted); not opened before (already_served)                    | served |
/// | decline        | party    | a party (not_a_party); served (not_served); a reason (missing_reason, reason_too_long)                 | ended: declined |
/// | save_agreement | mediator | accepted (not_accepted); the named mediator (not_the_mediator); another text (agreement_unchanged)     | version + 1: every earlier signature stops counting |
/// | sign           | party    | a party (not_a_party); accepted (not_accepted); served (not_served); an agreement (no_agreement); shown = current (agreement_changed); not signed this version (already_signed) | signature |
/// | confirm        | judge    | accepted (not_accepted); the named judge (not_the_judge), who is not the mediator (judge_is_mediator); an agreement (no_agreement) signed by every party (signatures_missing); a number of the court (malformed_number) | ended: confirmed |
/// | refuse         | judge    | as confirm, with a reason instead of a number (missing_reason, reason_too_long)                      | ended: refused |
///
/// Before that, for every step: nothing after the end (ended); each step by its role (wrong_role);
/// and no official with a stake in the dispute (official_interested): the app lists the parties'
/// accounts and agents in `interested`.
public enum MediationRules {
    public static func apply(_ action: MediationAction, to state: MediationState, by actor: MediationActor,
                             at moment: Date) -> Result<MediationState, MediationRefusal> {
        if let refusal = generalRefusal(action.kind, state: state, actor: actor) { return .failure(refusal) }
        do {
            return .success(try step(action, from: state, by: actor, at: moment))
        } catch {
            return .failure(error)
        }
    }

    private static func step(_ action: MediationAction, from state: MediationState, by actor: MediationActor,
                             at moment: Date) throws(MediationRefusal) -> MediationState {
        var next = state
        switch action {
        case .accept(let mediator, let judge):
            guard state.assignment == nil else { throw .alreadyAccepted }
            guard mediator != judge else { throw .judgeIsMediator }
            guard !state.interested.contains(mediator), !state.interested.contains(judge) else { throw .officialInterested }
            next.assignment = MediationAssignment(mediator: mediator, judge: judge)

        case .openPapers:
            let party = try partyStep(actor, state, needsService: false)
            guard !state.served.contains(party) else { throw .alreadyServed }
            next.served.insert(party)

        case .decline(let reason):
            let party = try partyStep(actor, state, needsService: true, needsAcceptance: false)
            next.ending = .declined(party: party, reason: try checkedReason(reason), at: moment)

        case .saveAgreement(let sha256):
            guard let assignment = state.assignment else { throw .notAccepted }
            guard actor.accountID == assignment.mediator else { throw .notTheMediator }
            guard state.agreement?.sha256 != sha256 else { throw .agreementUnchanged }
            next.agreement = MediationAgreementVersion(sha256: sha256, version: (state.agreement?.version ?? 0) + 1)

        case .sign(let shown):
            let party = try partyStep(actor, state, needsService: true)
            guard let agreement = state.agreement else { throw .noAgreement }
            guard shown == agreement.sha256 else { throw .agreementChanged }
            guard !state.currentSignatures.contains(where: { $0.party == party }) else { throw .alreadySigned }
            next.signatures.append(MediationSignature(party: party, signer: actor.accountID, sha256: agreement.sha256, version: agreement.version))

        case .confirm(let text):
            let agreement = try judgeStep(actor, state)
            guard let number = CourtCaseNumber.parse(text, court: state.court, kind: .specialProcedure) else { throw .malformedNumber }
            next.ending = .confirmed(judge: actor.accountID, number: number, version: agreement.version, at: moment)

        case .refuse(let reason):
            _ = try judgeStep(actor, state)
            next.ending = .refused(judge: actor.accountID, reason: try checkedReason(reason), at: moment)
        }
        return next
    }

    /// The checks every step passes first, in this order.
    static func generalRefusal(_ kind: MediationActionKind, state: MediationState, actor: MediationActor) -> MediationRefusal? {
        if state.isEnded { return .ended }
        switch (kind.role, actor) {
        case (.clerk, .clerk), (.party, .party):
            return nil
        case (.mediator, .official(let id)), (.judge, .official(let id)):
            return state.interested.contains(id) ? .officialInterested : nil
        default:
            return .wrongRole
        }
    }

    /// The party acting, once it is known to be one of this mediation's, accepted and served.
    private static func partyStep(_ actor: MediationActor, _ state: MediationState, needsService: Bool,
                                  needsAcceptance: Bool = true) throws(MediationRefusal) -> UUID {
        guard case .party(let party, _) = actor, state.party(party) != nil else { throw .notAParty }
        if needsAcceptance, state.assignment == nil { throw .notAccepted }
        if needsService, !state.served.contains(party) { throw .notServed }
        return party
    }

    /// The judge's decision needs the named judge (never the mediator) and a version every party signed.
    private static func judgeStep(_ actor: MediationActor, _ state: MediationState) throws(MediationRefusal) -> MediationAgreementVersion {
        guard let assignment = state.assignment else { throw .notAccepted }
        guard actor.accountID == assignment.judge else { throw .notTheJudge }
        // Accept already keeps them apart; asked again so that a state loaded from storage never
        // lets the mediator confirm their own agreement.
        guard assignment.judge != assignment.mediator else { throw .judgeIsMediator }
        guard let agreement = state.agreement else { throw .noAgreement }
        guard state.unsignedParties.isEmpty else { throw .signaturesMissing }
        return agreement
    }

    private static func checkedReason(_ reason: String) throws(MediationRefusal) -> String {
        let trimmed = CaseLifecycle.normalizedText(reason)
        guard !trimmed.isEmpty else { throw .missingReason }
        guard trimmed.count <= CaseLifecycle.maxTextLength else { throw .reasonTooLong }
        return trimmed
    }
}
