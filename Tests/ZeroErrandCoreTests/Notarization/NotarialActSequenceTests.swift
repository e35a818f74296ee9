import Foundation
import Testing
@testable import ZeroErrandCore

private typealias N = Notary

/// Random steps by random people over random texts and sessions, checked after every accepted
/// step against the promises of a notarization, stated here without asking the implementation.
@Suite("Notarial act: generated sequences")
struct NotarialActSequenceTests {
    @Test("Random sequences never issue an unsound certificate nor act after revocation")
    func randomSequences() {
        var failures: [String] = []
        var seenRefusals = Set<NotarialActRefusal>()
        var acceptedKinds = Set<NotarialActionKind>()
        var issuedRuns = 0, revokedRuns = 0
        for seed in UInt64(1)...3000 {
            var random = SplitMix64(seed: seed)
            let gift = random.int(3) != 0
            var state = gift ? N.giftAct() : N.declaration()
            // Who must sign and who has a stake, written out for this act independently of the state's own sets.
            let signers: Set<UUID> = gift ? [N.applicant, N.donee] : [N.applicant]
            let interested: Set<UUID> = gift ? N.interestedInGift : [N.applicant, N.proxy]
            for step in 0..<60 {
                func fail(_ message: String) { failures.append("seed \(seed) step \(step): \(message)") }
                let (action, actor) = randomStep(state, signers: signers, using: &random)
                let before = state
                switch NotarialActRules.apply(action, to: before, by: actor, at: N.moment) {
                case .failure(let refusal):
                    seenRefusals.insert(refusal)
                    if before.revocation != nil && refusal != .alreadyRevoked { fail("\(action) after revocation refused as \(refusal)") }
                case .success(let after):
                    acceptedKinds.insert(action.kind)
                    for problem in stepProblems(before: before, after: after, action: action, actor: actor, interested: interested) {
                        fail("\(action) by \(actor): \(problem)")
                    }
                    for problem in stateProblems(after, signers: signers, interested: interested) {
                        fail("after \(action) by \(actor): \(problem)")
                    }
                    state = after
                }
            }
            if state.issue != nil { issuedRuns += 1 }
            if state.revocation != nil { revokedRuns += 1 }
            if failures.count > 20 { break }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
        // The walk is only worth something if it went everywhere.
        #expect(seenRefusals == Set(NotarialActRefusal.allCases), "never refused with \(Set(NotarialActRefusal.allCases).subtracting(seenRefusals))")
        #expect(acceptedKinds == Set(NotarialActionKind.allCases))
        #expect(issuedRuns > 1000 && revokedRuns > 1000, "issued \(issuedRuns), revoked \(revokedRuns)")
    }
}

/// What one accepted step may and may not have done.
private func stepProblems(before: NotarialActState, after: NotarialActState, action: NotarialAction, actor: NotarialActor,
                          interested: Set<UUID>) -> [String] {
    var problems: [String] = []
    if before.revocation != nil { problems.append("accepted after revocation") }
    if action.kind == .prepareDocument && before.approval != nil { problems.append("document revised after approval") }
    switch actor {
    case .person where action.kind != .sign: problems.append("a person took a notary's step")
    case .notary where action.kind == .sign: problems.append("a notary signed")
    case .notary(let id) where interested.contains(id): problems.append("an interested notary acted")
    default: break
    }
    // What is done stays done; signatures are only ever added, one per signing.
    if before.approval != nil && after.approval != before.approval { problems.append("approval changed") }
    if before.issue != nil && after.issue != before.issue { problems.append("issue changed") }
    if !after.signatures.starts(with: before.signatures) { problems.append("a recorded signature was removed or changed") }
    let added = after.signatures.count - before.signatures.count
    if added != (action.kind == .sign ? 1 : 0) { problems.append("\(added) signatures added") }
    if action.kind == .sign, let signature = after.signatures.last {
        if signature.signer != actor.accountID { problems.append("signed in someone else's name") }
        if case .sign(let shown, let session) = action, signature.documentSHA256 != shown || signature.session != session {
            problems.append("signature records another text or session than the one shown")
        }
    }
    let version = { (state: NotarialActState) in state.document?.version ?? 0 }
    if version(after) != version(before) + (action.kind == .prepareDocument ? 1 : 0) { problems.append("version went \(version(before)) to \(version(after))") }
    return problems
}

/// What must hold of any state the rules produce.
private func stateProblems(_ state: NotarialActState, signers: Set<UUID>, interested: Set<UUID>) -> [String] {
    var problems: [String] = []
    if state.revocation != nil && state.issue == nil { problems.append("revoked but never issued") }
    if state.issue != nil && state.approval == nil { problems.append("issued but not approved") }
    guard let approval = state.approval else { return problems }
    // Approved (and so issued): certified in a session, everybody signed the final text in it,
    // and the approving notary has no stake in the case.
    guard let certification = state.certification, let document = state.document else {
        return problems + ["approved without certification or document"]
    }
    if !certification.identityConfirmed || !certification.willStated || certification.recordingSHA256 != N.recording {
        problems.append("certified without identity, will or recording")
    }
    if interested.contains(approval.notary) { problems.append("approved by an interested notary") }
    if interested.contains(certification.notary) { problems.append("certified by an interested notary") }
    for signer in signers where !state.signatures.contains(where: {
        $0.signer == signer && $0.documentSHA256 == document.sha256 && $0.documentVersion == document.version && $0.session == certification.session
    }) {
        problems.append("approved without \(signer == N.applicant ? "the applicant's" : "a party's") signature on the final text in the session")
    }
    return problems
}

/// A step: a third of the time the kind that would move the act on, otherwise any kind; mostly by
/// the right side with the current text and session, sometimes by anyone with anything.
private func randomStep(_ state: NotarialActState, signers: Set<UUID>, using random: inout SplitMix64) -> (NotarialAction, NotarialActor) {
    let kinds = NotarialActionKind.allCases
    let kind = random.int(3) != 0 ? kinds[random.int(kinds.count)] : nextKind(state)
    let anyone = N.everyone[random.int(N.everyone.count)]
    let text = random.int(5) == 0 ? N.texts[random.int(3)] : (state.document?.sha256 ?? N.texts[random.int(3)])
    let session = random.int(5) == 0 ? N.sessions[random.int(3)] : (state.session ?? N.sessions[random.int(3)])
    let notary: NotarialActor = switch random.int(10) {
    case 0: .person(anyone)
    case 1: .notary(anyone)
    default: .notary(random.int(2) == 0 ? N.notary : N.otherNotary)
    }
    switch kind {
    case .prepareDocument:
        return (.prepareDocument(sha256: N.texts[random.int(3)]), notary)
    case .openCertification:
        return (.openCertification(session: N.sessions[random.int(3)]), notary)
    case .sign:
        let unsigned = Array(signers.subtracting(state.currentSignatures.map(\.signer))).sorted { $0.uuidString < $1.uuidString }
        let signer = random.int(4) != 0 && !unsigned.isEmpty ? unsigned[random.int(unsigned.count)] : anyone
        return (.sign(shownSHA256: text, session: session), random.int(10) == 0 ? .notary(signer) : .person(signer))
    case .certify:
        return (.certify(session: session, identityConfirmed: random.int(10) != 0, willStated: random.int(10) != 0,
                         recordingSHA256: random.int(10) == 0 ? nil : N.recording), notary)
    case .approve:
        return (.approve, notary)
    case .issue:
        let serial = 1 + random.int(500)
        let number = ["(2026)浙温证字第\(serial)号", "(2026) Zhe Wen Zheng Zi No. \(serial)", "(2026)浙温证字第0\(serial)号",
                      "(2026)沪证字第\(serial)号", ""][random.int(5)]
        return (.issue(number: number), notary)
    case .revoke:
        let reasons = ["The applicant's passport was forged.", "  ", String(repeating: "x", count: 2001)]
        return (.revoke(reason: reasons[random.int(3)]), notary)
    }
}

/// The step that would move the act on from here.
private func nextKind(_ state: NotarialActState) -> NotarialActionKind {
    if state.issue != nil { return .revoke }
    if state.approval != nil { return .issue }
    if state.certification != nil { return .approve }
    if state.document == nil { return .prepareDocument }
    if state.session == nil { return .openCertification }
    return state.missingSigners.isEmpty ? .certify : .sign
}
