import Foundation
import Testing
@testable import ZeroErrandCore

private typealias N = Notary

@Suite("Notarial act rules")
struct NotarialActRulesTests {
    @Test("A gift contract goes from the first text to a revoked certificate")
    func ordinaryPath() throws {
        let stages = try N.stages()
        #expect(stages.prepared.document == NotarialDocument(sha256: N.texts[0], version: 1))
        #expect(stages.opened.session == N.sessions[0])
        #expect(stages.halfSigned.missingSigners == [N.donee])
        #expect(stages.signed.missingSigners.isEmpty)
        #expect(stages.signed.signatures == [
            NotarialSignature(signer: N.applicant, documentSHA256: N.texts[0], documentVersion: 1, session: N.sessions[0]),
            NotarialSignature(signer: N.donee, documentSHA256: N.texts[0], documentVersion: 1, session: N.sessions[0]),
        ])
        #expect(stages.certified.certification == NotarialCertification(session: N.sessions[0], notary: N.notary,
                                                                        identityConfirmed: true, willStated: true,
                                                                        recordingSHA256: N.recording))
        #expect(stages.approved.approval == NotarialApproval(notary: N.notary, at: N.moment))
        let number = try #require(NotarialCertificateNumber(year: 2026, office: N.office, serial: 123))
        #expect(stages.issued.issue == NotarialIssue(number: number, at: N.moment))
        #expect(stages.revoked.revocation == NotarialRevocation(reason: "The passport shown was forged.", at: N.moment))

        // Another notary of the office may take any notary's step; the number may be given in English.
        let english = try N.run([(.approve, .notary(N.otherNotary)), (.issue(number: " (2026) Zhe Wen Zheng Zi No. 123 "), .notary(N.otherNotary))],
                                from: stages.certified)
        #expect(english.issue?.number == number)
        #expect(english.approval?.notary == N.otherNotary)

        // A declaration needs the applicant's signature only.
        let declared = try N.run([N.prepare, N.open, N.signs(N.applicant), N.certify(), N.approve], from: N.declaration())
        #expect(declared.approval != nil)
    }

    @Test("Who counts as interested, and who must sign")
    func interestedAndSigners() {
        let act = N.giftAct()
        #expect(act.requiredSigners == [N.applicant, N.donee])
        #expect(act.parties == [N.beneficiary, N.donee])
        #expect(act.interested == N.interestedInGift)
        // The applicant is never one of the "other" parties, even if a caller lists them.
        let odd = NotarialActState(office: N.office, applicant: N.applicant, parties: [N.applicant], signingParties: [N.applicant])
        #expect(odd.parties.isEmpty && odd.requiredSigners == [N.applicant])
    }

    @Test("Every refusal, each where the table says it is given", arguments: try refusalCases())
    func refusal(_ example: RefusalCase) {
        #expect(N.apply(example.action, example.state, by: example.actor) == .failure(example.expected), "\(example.name)")
    }

    @Test("The refusal table covers every refusal there is")
    func everyRefusalTested() throws {
        #expect(Set(try refusalCases().map(\.expected)) == Set(NotarialActRefusal.allCases))
    }

    @Test("Refusals have stable translation keys")
    func translationKeys() {
        let keys = NotarialActRefusal.allCases.map(\.translationKey)
        #expect(Set(keys).count == keys.count)
        for key in keys {
            #expect(key.hasPrefix("notarization.refused."))
            #expect(key.allSatisfy { $0.isLowercase || $0 == "." || $0 == "_" }, "\(key)")
        }
        #expect(NotarialActRefusal.documentChanged.translationKey == "notarization.refused.document_changed")
        #expect(NotarialActionKind.allCases.map(\.rawValue)
            == ["prepare_document", "open_certification", "sign", "certify", "approve", "issue", "revoke"])
        #expect(NotarialAction.openCertification(session: N.sessions[0]).name == "open_certification")
    }

    @Test("A revision in the live session: earlier signatures stay recorded and stop counting")
    func revisionDuringSession() throws {
        let stages = try N.stages()
        let revised = try N.run([(.prepareDocument(sha256: N.texts[1]), .notary(N.notary))], from: stages.signed)
        #expect(revised.document == NotarialDocument(sha256: N.texts[1], version: 2))
        #expect(revised.session == N.sessions[0])
        #expect(revised.signatures == stages.signed.signatures)
        #expect(revised.missingSigners == [N.applicant, N.donee])
        #expect(N.apply(N.certify().0, revised, by: N.certify().1) == .failure(.signaturesMissing))
        // The signer still holding the old text is told it changed; with the new one they sign again.
        #expect(N.apply(N.signs(N.applicant, text: 0).0, revised, by: .person(N.applicant)) == .failure(.documentChanged))
        let resigned = try N.run([N.signs(N.applicant, text: 1), N.signs(N.donee, text: 1), N.certify(), N.approve], from: revised)
        #expect(resigned.signatures.count == 4)
        #expect(resigned.approval != nil)
    }

    @Test("Back to an earlier text is still a new version: old signatures do not come back")
    func revisionBackToEarlierText() throws {
        let stages = try N.stages()
        let back = try N.run([(.prepareDocument(sha256: N.texts[1]), .notary(N.notary)), (.prepareDocument(sha256: N.texts[0]), .notary(N.notary))],
                             from: stages.signed)
        #expect(back.document == NotarialDocument(sha256: N.texts[0], version: 3))
        #expect(back.missingSigners == [N.applicant, N.donee])
        #expect(N.apply(.approve, back, by: .notary(N.notary)) == .failure(.notCertified))
    }

    @Test("A revision after certification voids it and its session: the will is stated again in a new one")
    func revisionAfterCertification() throws {
        let stages = try N.stages()
        let revised = try N.run([(.prepareDocument(sha256: N.texts[1]), .notary(N.notary))], from: stages.certified)
        #expect(revised.certification == nil && revised.session == nil)
        #expect(N.apply(.approve, revised, by: .notary(N.notary)) == .failure(.notCertified))
        #expect(N.apply(N.signs(N.applicant, text: 1).0, revised, by: .person(N.applicant)) == .failure(.noSession))

        let reopened = try N.run([(.openCertification(session: N.sessions[1]), .notary(N.notary))], from: revised)
        #expect(N.apply(N.signs(N.applicant, text: 1, session: 0).0, reopened, by: .person(N.applicant)) == .failure(.wrongSession))
        let done = try N.run([N.signs(N.applicant, text: 1, session: 1), N.signs(N.donee, text: 1, session: 1), N.certify(session: 1),
                              N.approve, N.issue], from: reopened)
        #expect(done.certification?.session == N.sessions[1])
        #expect(done.currentSignatures.map(\.signer) == [N.applicant, N.donee])
    }

    @Test("A session that broke off is replaced; what was signed in it no longer counts")
    func replacedSession() throws {
        let stages = try N.stages()
        let replaced = try N.run([(.openCertification(session: N.sessions[1]), .notary(N.notary))], from: stages.signed)
        #expect(replaced.session == N.sessions[1])
        #expect(replaced.missingSigners == [N.applicant, N.donee])
        #expect(N.apply(N.certify(session: 1).0, replaced, by: .notary(N.notary)) == .failure(.signaturesMissing))
        #expect(N.apply(N.certify(session: 0).0, replaced, by: .notary(N.notary)) == .failure(.wrongSession))
    }

    @Test("Approval re-checks the signatures of a stored state, not only the certification")
    func approvalRechecksStoredState() throws {
        var stored = try N.stages().certified
        stored.signatures.removeLast()
        #expect(N.apply(.approve, stored, by: .notary(N.notary)) == .failure(.signaturesMissing))
        stored = try N.stages().certified
        stored.session = N.sessions[2]
        #expect(N.apply(.approve, stored, by: .notary(N.notary)) == .failure(.notCertified))
    }
}

/// One line of the refusal table.
struct RefusalCase: CustomTestStringConvertible, Sendable {
    let name: String
    let state: NotarialActState
    let action: NotarialAction
    let actor: NotarialActor
    let expected: NotarialActRefusal
    var testDescription: String { "\(expected.rawValue): \(name)" }
}

private func refusalCases() throws -> [RefusalCase] {
    let s = try N.stages()
    func line(_ name: String, _ state: NotarialActState, _ step: (NotarialAction, NotarialActor), _ expected: NotarialActRefusal) -> RefusalCase {
        RefusalCase(name: name, state: state, action: step.0, actor: step.1, expected: expected)
    }
    let certifyWith = { (identity: Bool, will: Bool, recording: SHA256Hash?) -> (NotarialAction, NotarialActor) in
        (.certify(session: N.sessions[0], identityConfirmed: identity, willStated: will, recordingSHA256: recording), .notary(N.notary))
    }
    var lines = [
        line("nothing after revocation, not even a new text", s.revoked, (.prepareDocument(sha256: N.texts[2]), .notary(N.notary)), .alreadyRevoked),
        line("nothing after revocation, not a second revocation", s.revoked, N.revoke, .alreadyRevoked),
        line("nothing after revocation, not a signature", s.revoked, N.signs(N.applicant), .alreadyRevoked),
        line("a person approves", s.certified, (.approve, .person(N.notary)), .wrongRole),
        line("a person prepares the text", s.fresh, (.prepareDocument(sha256: N.texts[0]), .person(N.applicant)), .wrongRole),
        line("a notary signs", s.opened, (.sign(shownSHA256: N.texts[0], session: N.sessions[0]), .notary(N.applicant)), .wrongRole),
        line("the proxy prepares as notary", s.fresh, (.prepareDocument(sha256: N.texts[0]), .notary(N.proxy)), .notaryInterested),
        line("the applicant opens the certification as notary", s.prepared, (.openCertification(session: N.sessions[0]), .notary(N.applicant)), .notaryInterested),
        line("the donee certifies as notary", s.signed, (certifyWith(true, true, N.recording).0, .notary(N.donee)), .notaryInterested),
        line("revision after approval", s.approved, (.prepareDocument(sha256: N.texts[1]), .notary(N.notary)), .documentLocked),
        line("revision after issue", s.issued, (.prepareDocument(sha256: N.texts[1]), .notary(N.notary)), .documentLocked),
        line("the same text again", s.signed, (.prepareDocument(sha256: N.texts[0]), .notary(N.notary)), .documentUnchanged),
        line("open a certification with nothing to sign", s.fresh, (.openCertification(session: N.sessions[0]), .notary(N.notary)), .noDocument),
        line("sign with nothing prepared", s.fresh, N.signs(N.applicant), .noDocument),
        line("sign before any session", s.prepared, N.signs(N.applicant), .noSession),
        line("certify before any session", s.prepared, N.certify(), .noSession),
        line("sign in another session", s.opened, N.signs(N.applicant, session: 1), .wrongSession),
        line("certify another session", s.signed, N.certify(session: 1), .wrongSession),
        line("sign after the session was certified", s.certified, N.signs(N.donee), .sessionClosed),
        line("open a second session after certification", s.certified, (.openCertification(session: N.sessions[1]), .notary(N.notary)), .alreadyCertified),
        line("certify twice", s.certified, N.certify(), .alreadyCertified),
        line("identity not confirmed", s.signed, certifyWith(false, true, N.recording), .identityNotConfirmed),
        line("will not stated", s.signed, certifyWith(true, false, N.recording), .willNotStated),
        line("no recording", s.signed, certifyWith(true, true, nil), .noRecording),
        line("a party who need not sign", s.opened, N.signs(N.beneficiary), .notRequiredSigner),
        line("the proxy signs for the applicant", s.opened, N.signs(N.proxy), .notRequiredSigner),
        line("a stranger signs", s.opened, N.signs(N.stranger), .notRequiredSigner),
        line("the text changed after it was shown", s.opened, N.signs(N.applicant, text: 1), .documentChanged),
        line("signs this version twice", s.halfSigned, N.signs(N.applicant), .alreadySigned),
        line("certify with the donee's signature missing", s.halfSigned, N.certify(), .signaturesMissing),
        line("approve before certification", s.signed, N.approve, .notCertified),
        line("approve twice", s.approved, N.approve, .alreadyApproved),
        line("open a session after approval", s.approved, (.openCertification(session: N.sessions[1]), .notary(N.notary)), .alreadyApproved),
        line("sign after approval", s.approved, N.signs(N.applicant), .alreadyApproved),
        line("certify after approval", s.approved, N.certify(), .alreadyApproved),
        line("issue before approval", s.certified, N.issue, .notApproved),
        line("issue twice", s.issued, (.issue(number: "(2026)浙温证字第124号"), .notary(N.notary)), .alreadyIssued),
        line("another office's number", s.approved, (.issue(number: "(2026)京证字第123号"), .notary(N.notary)), .malformedNumber),
        line("serial zero", s.approved, (.issue(number: "(2026)浙温证字第0号"), .notary(N.notary)), .malformedNumber),
        line("not a number", s.approved, (.issue(number: "123"), .notary(N.notary)), .malformedNumber),
        line("revoke what was never issued", s.approved, N.revoke, .notIssued),
        line("revoke without a reason", s.issued, (.revoke(reason: " \n\t"), .notary(N.notary)), .missingReason),
        line("revoke with an essay", s.issued, (.revoke(reason: String(repeating: "理", count: 2001)), .notary(N.notary)), .reasonTooLong),
    ]
    // Nobody interested approves: the applicant, each party, a signer, the proxy.
    for person in N.interestedInGift {
        lines.append(line("approved by an interested person", s.certified, (.approve, .notary(person)), .notaryInterested))
    }
    return lines
}
