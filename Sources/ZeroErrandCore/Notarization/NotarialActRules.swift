import Foundation

/// The rules of a remote notarial act, from the document to the certificate. Pure: the caller
/// loads the state, applies one step, and stores the result (with its audit event) only on success.
///
/// The act runs beside its case: the case is applied for and reviewed (with supplements) by
/// `CaseLifecycle`; these rules cover only what makes a notarization sound.
///
/// The video session. The notary opens the certification for a session (`open_certification`);
/// the signers sign *during* that live session, and each signature names it; at the end the notary
/// records identity, will and the recording's hash for the same session (`certify`), which closes
/// it: nothing more is signed in it, because the recording that shows the signing is finished.
/// Certification therefore comes after every required signature. A session that broke off before
/// certification is replaced by opening another; signatures made in the old one stay recorded and
/// no longer count.
///
/// Revisions. The notary may revise the text until approval. A revision makes earlier signatures
/// stop counting (they stay recorded; they are for another version) and, once certification was
/// recorded, voids it together with its session: the will was stated about the old text, so the
/// new one needs a new session.
///
/// | step               | by     | needs (refusal when not)                                                                 | effect                                   |
/// |--------------------|--------|------------------------------------------------------------------------------------------|------------------------------------------|
/// | prepare_document   | notary | not approved (document_locked); another text than the current (document_unchanged)       | version + 1; certified ⇒ certification and session voided |
/// | open_certification | notary | not approved (already_approved); a document (no_document); not certified (already_certified) | session = the new one                 |
/// | sign               | person | not approved (already_approved); a required signer (not_required_signer); a document (no_document); a session open (no_session) and named (wrong_session) and not yet certified (session_closed); shown = current text (document_changed); not signed this version in this session (already_signed) | signature recorded |
/// | certify            | notary | not approved (already_approved); not certified (already_certified); the open session (no_session, wrong_session); identity (identity_not_confirmed), will (will_not_stated), recording (no_recording); every required signer signed the current version in it (signatures_missing) | certification recorded |
/// | approve            | notary | not approved (already_approved); certified (not_certified); every required signature (signatures_missing) | approval (notary, moment)  |
/// | issue              | notary | not issued (already_issued); approved (not_approved); a number of the office (malformed_number) | issue (number, moment)            |
/// | revoke             | notary | issued (not_issued); a reason (missing_reason, reason_too_long)                          | revocation (reason, moment)              |
///
/// Before any of that, for every step: nothing after a revocation (already_revoked); signing is a
/// person's step and the rest the notary's (wrong_role); and the notary is not the applicant, a
/// party, a signer or another interested person (notary_interested): nobody prepares, certifies,
/// approves, issues or revokes an act they have a stake in. These rules cannot know who is
/// related to whom: the app lists the applicant's proxies and relatives in `otherInterested`.
public enum NotarialActRules {
    /// Applies `action` taken by `actor` at `moment` (recorded on approval, issue and revocation).
    /// On failure the caller keeps its state: nothing is changed.
    public static func apply(
        _ action: NotarialAction,
        to state: NotarialActState,
        by actor: NotarialActor,
        at moment: Date
    ) -> Result<NotarialActState, NotarialActRefusal> {
        if let refusal = generalRefusal(action.kind, state: state, actor: actor) { return .failure(refusal) }
        var next = state
        switch action {
        case .prepareDocument(let sha256):
            guard state.approval == nil else { return .failure(.documentLocked) }
            guard state.document?.sha256 != sha256 else { return .failure(.documentUnchanged) }
            next.document = NotarialDocument(sha256: sha256, version: (state.document?.version ?? 0) + 1)
            if state.certification != nil {
                next.certification = nil
                next.session = nil
            }

        case .openCertification(let session):
            guard state.approval == nil else { return .failure(.alreadyApproved) }
            guard state.document != nil else { return .failure(.noDocument) }
            guard state.certification == nil else { return .failure(.alreadyCertified) }
            next.session = session

        case .sign(let shown, let session):
            let signer = actor.accountID
            guard state.approval == nil else { return .failure(.alreadyApproved) }
            guard state.requiredSigners.contains(signer) else { return .failure(.notRequiredSigner) }
            guard let document = state.document else { return .failure(.noDocument) }
            if let refusal = sessionRefusal(session, state: state) { return .failure(refusal) }
            guard shown == document.sha256 else { return .failure(.documentChanged) }
            guard !state.currentSignatures.contains(where: { $0.signer == signer }) else { return .failure(.alreadySigned) }
            next.signatures.append(NotarialSignature(signer: signer, documentSHA256: document.sha256,
                                                     documentVersion: document.version, session: session))

        case .certify(let session, let identityConfirmed, let willStated, let recording):
            guard state.approval == nil else { return .failure(.alreadyApproved) }
            guard state.certification == nil else { return .failure(.alreadyCertified) }
            if let refusal = sessionRefusal(session, state: state) { return .failure(refusal) }
            guard identityConfirmed else { return .failure(.identityNotConfirmed) }
            guard willStated else { return .failure(.willNotStated) }
            guard let recording else { return .failure(.noRecording) }
            guard state.missingSigners.isEmpty else { return .failure(.signaturesMissing) }
            next.certification = NotarialCertification(session: session, notary: actor.accountID, identityConfirmed: true,
                                                       willStated: true, recordingSHA256: recording)

        case .approve:
            guard state.approval == nil else { return .failure(.alreadyApproved) }
            guard let certification = state.certification, certification.session == state.session,
                  certification.identityConfirmed, certification.willStated
            else { return .failure(.notCertified) }
            // Certification already required every signature; asked again so that a state loaded
            // from storage is never approved on the strength of an older check.
            guard state.missingSigners.isEmpty else { return .failure(.signaturesMissing) }
            next.approval = NotarialApproval(notary: actor.accountID, at: moment)

        case .issue(let text):
            guard state.issue == nil else { return .failure(.alreadyIssued) }
            guard state.approval != nil else { return .failure(.notApproved) }
            guard let number = NotarialCertificateNumber.parse(text, office: state.office) else { return .failure(.malformedNumber) }
            next.issue = NotarialIssue(number: number, at: moment)

        case .revoke(let reason):
            guard state.issue != nil else { return .failure(.notIssued) }
            let trimmed = CaseLifecycle.normalizedText(reason)
            guard !trimmed.isEmpty else { return .failure(.missingReason) }
            guard trimmed.count <= CaseLifecycle.maxTextLength else { return .failure(.reasonTooLong) }
            next.revocation = NotarialRevocation(reason: trimmed, at: moment)
        }
        return .success(next)
    }

    /// The checks every step passes first, in this order.
    static func generalRefusal(_ kind: NotarialActionKind, state: NotarialActState, actor: NotarialActor) -> NotarialActRefusal? {
        if state.revocation != nil { return .alreadyRevoked }
        switch actor {
        case .person where kind.isNotarys, .notary where !kind.isNotarys:
            return .wrongRole
        case .notary(let id) where state.interested.contains(id):
            return .notaryInterested
        default:
            return nil
        }
    }

    /// Signatures and the certification belong to the open session, and only while it is open.
    static func sessionRefusal(_ session: UUID, state: NotarialActState) -> NotarialActRefusal? {
        guard let open = state.session else { return .noSession }
        guard session == open else { return .wrongSession }
        return state.certification == nil ? nil : .sessionClosed
    }
}
