import Foundation
import Testing
@testable import ZeroErrandCore

private typealias M = Mediation

@Suite("Mediation rules")
struct MediationRulesTests {
    @Test("The article's dispute: accepted, served, a second version, signed by all, confirmed")
    func ordinaryPath() throws {
        let accepted = try M.run([M.accept], from: M.filed())
        #expect(accepted.assignment == MediationAssignment(mediator: M.mediator, judge: M.judge))
        #expect(accepted.unservedParties.map(\.id) == [M.rome, M.wenzhou])
        let served = try M.run([M.opens(M.rome), M.opens(M.wenzhou)], from: accepted)
        #expect(served.unservedParties.isEmpty)

        let firstSigned = try M.run([M.save(0), M.signs(M.madrid), M.signs(M.wenzhou)], from: served)
        #expect(firstSigned.unsignedParties.map(\.id) == [M.rome])
        #expect(firstSigned.signatures.last == MediationSignature(party: M.wenzhou, signer: M.wenzhouAgent, sha256: M.texts[0], version: 1))

        // A change after signing voids every signature of the old version, which stay on record.
        let revised = try M.run([M.save(1)], from: firstSigned)
        #expect(revised.agreement == MediationAgreementVersion(sha256: M.texts[1], version: 2))
        #expect(revised.currentSignatures.isEmpty)
        #expect(revised.signatures == firstSigned.signatures)
        #expect(M.apply(.sign(shown: M.texts[0]), revised, by: M.party(M.rome)) == .failure(.agreementChanged))

        let signed = try M.run([M.signs(M.madrid, 1), M.signs(M.rome, 1), M.signs(M.wenzhou, 1)], from: revised)
        #expect(signed.unsignedParties.isEmpty)
        let confirmed = try M.run([(.confirm(number: " （2027）浙0328民特１２号 "), .official(M.judge))], from: signed)
        let number = try #require(CourtCaseNumber(year: 2027, court: M.court, kind: .specialProcedure, serial: 12))
        #expect(confirmed.ending == .confirmed(judge: M.judge, number: number, version: 2, at: M.moment))
        #expect(M.apply(.sign(shown: M.texts[1]), confirmed, by: M.party(M.rome)) == .failure(.ended))
    }

    @Test("Going back to an earlier text does not revive its old signatures")
    func revertedText() throws {
        let signedFirst = try M.run([M.signs(M.madrid)], from: M.run([M.accept, M.opens(M.rome), M.opens(M.wenzhou), M.save(0)], from: M.filed()))
        let back = try M.run([M.save(1), M.save(0)], from: signedFirst)
        #expect(back.agreement == MediationAgreementVersion(sha256: M.texts[0], version: 3))
        #expect(back.currentSignatures.isEmpty)
    }

    @Test("A party who declines ends it with the reason; nothing happens after")
    func declined() throws {
        let served = try M.run([M.accept, M.opens(M.wenzhou)], from: M.filed())
        let ended = try M.run([(.decline(reason: "  The loan was repaid in cash. "), M.party(M.wenzhou))], from: served)
        #expect(ended.ending == .declined(party: M.wenzhou, reason: "The loan was repaid in cash.", at: M.moment))
        // The filer may withdraw before the clerk has even accepted.
        let withdrawn = try M.run([(.decline(reason: "Settled privately"), M.party(M.madrid))], from: M.filed())
        #expect(withdrawn.ending == .declined(party: M.madrid, reason: "Settled privately", at: M.moment))
    }

    @Test("Every refusal, each where the table says it is given", arguments: try refusalCases())
    func refusal(_ example: MediationRefusalCase) {
        #expect(M.apply(example.action, example.state, by: example.actor) == .failure(example.expected), "\(example.name)")
    }

    @Test("The refusal table covers every refusal there is")
    func everyRefusalTested() throws {
        #expect(Set(try refusalCases().map(\.expected)) == Set(MediationRefusal.allCases))
        let keys = MediationRefusal.allCases.map(\.translationKey)
        #expect(Set(keys).count == keys.count && keys.allSatisfy { $0.hasPrefix("mediation.refused.") })
    }
}

struct MediationRefusalCase: Sendable, CustomTestStringConvertible {
    let name: String
    let action: MediationAction
    let state: MediationState
    let actor: MediationActor
    let expected: MediationRefusal
    var testDescription: String { name }
}

private func refusalCases() throws -> [MediationRefusalCase] {
    let filed = M.filed()
    let accepted = try M.run([M.accept], from: filed)
    let served = try M.run([M.opens(M.rome), M.opens(M.wenzhou)], from: accepted)
    let drafted = try M.run([M.save(0)], from: served)
    let signed = try M.signedByAll()
    let declined = try M.run([(.decline(reason: "no"), M.party(M.rome))], from: served)
    let sameOfficials = MediationState(court: M.court, parties: M.parties, interested: M.interested, served: [M.madrid, M.rome, M.wenzhou],
                                       assignment: MediationAssignment(mediator: M.judge, judge: M.judge),
                                       agreement: signed.agreement, signatures: signed.signatures)
    func example(_ name: String, _ action: MediationAction, _ state: MediationState, _ actor: MediationActor, _ expected: MediationRefusal) -> MediationRefusalCase {
        MediationRefusalCase(name: name, action: action, state: state, actor: actor, expected: expected)
    }
    return [
        example("sign after decline", .sign(shown: M.texts[0]), declined, M.party(M.madrid), .ended),
        example("a party accepts", M.accept.0, filed, M.party(M.madrid), .wrongRole),
        example("the mediator signs", .sign(shown: M.texts[0]), drafted, .official(M.mediator), .wrongRole),
        example("a clerk confirms", .confirm(number: M.number), signed, .clerk(M.clerk), .wrongRole),
        example("a party's account as mediator", .saveAgreement(sha256: M.texts[1]), drafted, .official(M.romeAccount), .officialInterested),
        example("accepted twice", M.accept.0, accepted, .clerk(M.clerk), .alreadyAccepted),
        example("mediator not named yet", .saveAgreement(sha256: M.texts[0]), filed, .official(M.mediator), .notAccepted),
        example("papers before acceptance", .openPapers, filed, M.party(M.rome), .notAccepted),
        example("judge as mediator", .accept(mediator: M.judge, judge: M.judge), filed, .clerk(M.clerk), .judgeIsMediator),
        example("stored state with judge = mediator", .confirm(number: M.number), sameOfficials, .official(M.judge), .judgeIsMediator),
        example("an agent named as judge", .accept(mediator: M.mediator, judge: M.wenzhouAgent), filed, .clerk(M.clerk), .officialInterested),
        example("another official drafts", .saveAgreement(sha256: M.texts[1]), drafted, .official(M.otherOfficial), .notTheMediator),
        example("the mediator confirms", .confirm(number: M.number), signed, .official(M.mediator), .notTheJudge),
        example("a stranger opens the papers", .openPapers, accepted, .party(M.stranger, account: M.stranger), .notAParty),
        example("opened twice", .openPapers, served, M.party(M.rome), .alreadyServed),
        example("sign without service", .sign(shown: M.texts[0]), try M.run([M.save(0)], from: accepted), M.party(M.rome), .notServed),
        example("decline without service", .decline(reason: "no"), accepted, M.party(M.wenzhou), .notServed),
        example("same text again", .saveAgreement(sha256: M.texts[0]), drafted, .official(M.mediator), .agreementUnchanged),
        example("sign before a draft", .sign(shown: M.texts[0]), served, M.party(M.rome), .noAgreement),
        example("confirm before a draft", .confirm(number: M.number), served, .official(M.judge), .noAgreement),
        example("sign an old version", .sign(shown: M.texts[1]), drafted, M.party(M.rome), .agreementChanged),
        example("sign twice", .sign(shown: M.texts[0]), signed, M.party(M.rome), .alreadySigned),
        example("confirm with a signature missing", .confirm(number: M.number), try M.run([M.signs(M.madrid)], from: drafted), .official(M.judge), .signaturesMissing),
        example("refuse with a signature missing", .refuse(reason: "unclear"), drafted, .official(M.judge), .signaturesMissing),
        example("another court's number", .confirm(number: "(2027)浙03民特12号"), signed, .official(M.judge), .malformedNumber),
        example("a notarial number", .confirm(number: "(2027)浙温证字第12号"), signed, .official(M.judge), .malformedNumber),
        example("refuse without reason", .refuse(reason: " \n "), signed, .official(M.judge), .missingReason),
        example("decline at length", .decline(reason: String(repeating: "x", count: CaseLifecycle.maxTextLength + 1)), served, M.party(M.rome), .reasonTooLong),
    ]
}
