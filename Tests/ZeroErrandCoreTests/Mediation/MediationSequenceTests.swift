import Foundation
import Testing
@testable import ZeroErrandCore

private typealias M = Mediation

/// Random steps by random people over random texts, checked after every accepted step against the
/// promises of a court mediation, stated here without asking the implementation.
@Suite("Mediation: generated sequences")
struct MediationSequenceTests {
    @Test("Random sequences never confirm an agreement someone did not sign, nor act after the end")
    func randomSequences() {
        var failures: [String] = []
        var seenRefusals = Set<MediationRefusal>()
        var acceptedKinds = Set<MediationActionKind>()
        var confirmedRuns = 0, voidingSaves = 0
        for seed in UInt64(1)...3000 {
            var random = SplitMix64(seed: seed)
            var state = M.filed()
            for step in 0..<50 {
                let (action, actor) = randomStep(state, using: &random)
                let before = state
                switch MediationRules.apply(action, to: before, by: actor, at: M.moment) {
                case .failure(let refusal):
                    seenRefusals.insert(refusal)
                    if before.ending != nil && refusal != .ended { failures.append("seed \(seed) step \(step): \(action) after the end refused as \(refusal)") }
                case .success(let after):
                    acceptedKinds.insert(action.kind)
                    if action.kind == .saveAgreement && !before.currentSignatures.isEmpty { voidingSaves += 1 }
                    for problem in problems(before: before, after: after, action: action, actor: actor) {
                        failures.append("seed \(seed) step \(step): \(action) by \(actor): \(problem)")
                    }
                    state = after
                }
            }
            if case .confirmed = state.ending { confirmedRuns += 1 }
            if failures.count > 20 { break }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
        // The walk is only worth something if it went everywhere.
        #expect(seenRefusals == Set(MediationRefusal.allCases), "never refused with \(Set(MediationRefusal.allCases).subtracting(seenRefusals))")
        #expect(acceptedKinds == Set(MediationActionKind.allCases))
        #expect(confirmedRuns > 300 && voidingSaves > 300, "confirmed \(confirmedRuns), voiding saves \(voidingSaves)")
    }
}

/// What one accepted step may and may not have done, and what must hold afterwards.
private func problems(before: MediationState, after: MediationState, action: MediationAction, actor: MediationActor) -> [String] {
    var problems: [String] = []
    if before.ending != nil { problems.append("accepted after the end") }
    if !after.signatures.starts(with: before.signatures) { problems.append("a recorded signature was removed or changed") }
    let added = after.signatures.count - before.signatures.count
    if added != (action.kind == .sign ? 1 : 0) { problems.append("\(added) signatures added") }
    if before.assignment != nil && after.assignment != before.assignment { problems.append("the officials changed") }
    if (after.ending != nil) != [.decline, .confirm, .refuse].contains(action.kind) { problems.append("ending \(String(describing: after.ending))") }
    let version = { (state: MediationState) in state.agreement?.version ?? 0 }
    if version(after) != version(before) + (action.kind == .saveAgreement ? 1 : 0) { problems.append("version went \(version(before)) to \(version(after))") }
    switch action.kind {
    case .accept:
        if case .clerk = actor {} else { problems.append("accepted by someone other than a clerk") }
        if let assignment = after.assignment, assignment.mediator == assignment.judge { problems.append("the mediator is the judge") }
        if let assignment = after.assignment, M.interested.contains(assignment.mediator) || M.interested.contains(assignment.judge) {
            problems.append("a party's account named as an official")
        }
    case .saveAgreement:
        if actor != before.assignment.map({ .official($0.mediator) }) { problems.append("the agreement saved by \(actor), not the mediator") }
    case .sign:
        guard case .party(let party, let account) = actor, let signature = after.signatures.last else { return problems + ["signed by \(actor)"] }
        if !before.served.contains(party) { problems.append("signed before being served") }
        if signature.party != party || signature.signer != account { problems.append("signed in someone else's name") }
        if case .sign(let shown) = action, shown != before.agreement?.sha256 || signature.sha256 != shown { problems.append("signed a text not current") }
    case .confirm, .refuse:
        guard let assignment = before.assignment, actor == .official(assignment.judge) else { return problems + ["decided by \(actor)"] }
        if assignment.judge == assignment.mediator { problems.append("the mediator decided") }
        // Confirmed or refused: every party signed the final text (its hash and its version).
        guard let agreement = before.agreement else { return problems + ["decided without an agreement"] }
        for party in M.parties where !before.signatures.contains(where: {
            $0.party == party.id && $0.sha256 == agreement.sha256 && $0.version == agreement.version
        }) {
            problems.append("decided without \(party.id)'s signature on the final text")
        }
    case .openPapers, .decline:
        break
    }
    return problems
}

/// A step: a third of the time the kind that would move the mediation on, otherwise any kind;
/// mostly by the right person with the current text, sometimes by anyone with anything.
private func randomStep(_ state: MediationState, using random: inout SplitMix64) -> (MediationAction, MediationActor) {
    let kinds = MediationActionKind.allCases
    let kind = random.int(3) != 0 ? kinds[random.int(kinds.count)] : nextKind(state)
    let official = M.officials[random.int(M.officials.count)]
    let partyIDs = M.parties.map(\.id) + [M.stranger]
    let party = M.party(partyIDs[random.int(partyIDs.count)])
    let text = random.int(4) == 0 ? M.texts[random.int(3)] : (state.agreement?.sha256 ?? M.texts[random.int(3)])
    let wrongActor = random.int(12) == 0
    func pick(_ right: MediationActor) -> MediationActor {
        guard wrongActor else { return right }
        return [MediationActor.clerk(official), .official(official), party][random.int(3)]
    }
    switch kind {
    case .accept:
        let mediator = random.int(6) == 0 ? M.officials[random.int(M.officials.count)] : M.mediator
        let judge = random.int(6) == 0 ? M.officials[random.int(M.officials.count)] : M.judge
        return (.accept(mediator: mediator, judge: judge), pick(.clerk(M.clerk)))
    case .openPapers:
        return (.openPapers, pick(party))
    case .decline:
        // Rarely, so that most walks reach a decision.
        let reasons = ["", "The debt is disputed.", String(repeating: "y", count: CaseLifecycle.maxTextLength + 1)]
        return random.int(8) == 0 ? (.decline(reason: reasons[random.int(3)]), pick(party)) : (.openPapers, pick(party))
    case .saveAgreement:
        return (.saveAgreement(sha256: random.int(3) == 0 ? M.texts[random.int(3)] : M.texts[(state.agreement?.version ?? 0) % 3]),
                pick(.official(random.int(6) == 0 ? official : M.mediator)))
    case .sign:
        return (.sign(shown: text), pick(party))
    case .confirm:
        let numbers = [M.number, "(2027) Zhe 0328 Min Te No. 9", "(2027)浙03民特12号"]
        return (.confirm(number: numbers[random.int(3)]), pick(.official(random.int(5) == 0 ? official : M.judge)))
    case .refuse:
        return (.refuse(reason: random.int(4) == 0 ? "" : "The terms are against public order."), pick(.official(random.int(5) == 0 ? official : M.judge)))
    }
}

/// The kind of step that would take the mediation forward from here.
private func nextKind(_ state: MediationState) -> MediationActionKind {
    if state.assignment == nil { return .accept }
    if !state.unservedParties.isEmpty { return .openPapers }
    if state.agreement == nil { return .saveAgreement }
    if !state.unsignedParties.isEmpty { return .sign }
    return .confirm
}
