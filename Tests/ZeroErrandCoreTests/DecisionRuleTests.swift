import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Who decides a case")
struct DecisionRuleTests {
    let alice = UUID(), bob = UUID()

    @Test("A clerk alone never decides; the matter's role or a supervisor does")
    func roles() {
        let rule = DecisionRule(decidedBy: .reviewer, fourEyes: false)
        #expect(rule.refusal(decider: alice, roles: [.clerk], preparers: []) == .needsRole(.reviewer))
        #expect(rule.refusal(decider: alice, roles: [.notary], preparers: []) == .needsRole(.reviewer))
        #expect(rule.refusal(decider: alice, roles: [.reviewer], preparers: [alice]) == nil)
        #expect(rule.refusal(decider: alice, roles: [.supervisor], preparers: [alice]) == nil)
        #expect(DecisionRule(decidedBy: .judge, fourEyes: false).refusal(decider: alice, roles: [.reviewer], preparers: []) == .needsRole(.judge))
    }

    @Test("Four eyes: whoever prepared the case cannot decide it, whatever their roles")
    func fourEyes() {
        let rule = DecisionRule(decidedBy: .reviewer, fourEyes: true)
        #expect(rule.refusal(decider: alice, roles: [.reviewer, .supervisor], preparers: [alice]) == .preparedBySelf)
        #expect(rule.refusal(decider: bob, roles: [.reviewer], preparers: [alice]) == nil)
    }

    @Test("Every generated combination: allowed exactly when the role fits and, with four eyes, the decider did not prepare")
    func generated() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let roles = Set(StaffRole.allCases.filter { _ in Bool.random(using: &generator) })
            let decidedBy = StaffRole.allCases.randomElement(using: &generator)!
            let fourEyes = Bool.random(using: &generator)
            let prepared = Bool.random(using: &generator)
            let refusal = DecisionRule(decidedBy: decidedBy, fourEyes: fourEyes)
                .refusal(decider: alice, roles: roles, preparers: prepared ? [alice, bob] : [bob])
            let expected = (roles.contains(decidedBy) || roles.contains(.supervisor)) && !(fourEyes && prepared)
            #expect((refusal == nil) == expected)
        }
    }
}
