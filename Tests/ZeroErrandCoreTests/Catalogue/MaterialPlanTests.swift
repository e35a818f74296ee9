import Testing
import ZeroErrandCore

@Suite("Which materials an application needs")
struct MaterialPlanTests {
    // passport (always), power of attorney (relative; the signed mandate is it), agent's ID (relative),
    // foreign marriage certification (married abroad), old card (may come later).
    let requirements = [
        MaterialRequirement(),
        MaterialRequirement(condition: .throughRelative, providedByMandate: true),
        MaterialRequirement(condition: .throughRelative),
        MaterialRequirement(condition: .marriedAbroad),
        MaterialRequirement(canSupplyLater: true),
    ]

    @Test("Applying for oneself with nothing ticked needs only the unconditional materials, all listed at once")
    func forOneself() {
        let plan = MaterialPlan(requirements, conditions: [], hasMandate: false)
        #expect((0..<5).map(plan.applies) == [true, false, false, false, true])
        #expect(plan.missingForSubmission(supplied: []) == [0])
        #expect(plan.missingForSubmission(supplied: [0]) == [])
    }

    @Test("Through a relative: the signed mandate is the power of attorney, the agent's ID is required")
    func throughRelative() {
        let plan = MaterialPlan(requirements, conditions: [.marriedAbroad], hasMandate: true)
        #expect(plan.isProvidedByMandate(1))
        #expect(!plan.isProvidedByMandate(2))
        #expect(plan.missingForSubmission(supplied: []) == [0, 2, 3])
        #expect(plan.missingForSubmission(supplied: [0, 2, 3]) == [])
    }

    @Test("Saying one applies through a relative without a mandate does not make it so")
    func relativeFollowsTheMandate() {
        let plan = MaterialPlan(requirements, conditions: [.throughRelative], hasMandate: false)
        #expect(!plan.applies(1) && !plan.applies(2))
    }

    @Test("The form asks only the questions the applicant answers, once each, in order")
    func questions() {
        let asked = MaterialPlan.questions(requirements + [MaterialRequirement(condition: .nameChanged), MaterialRequirement(condition: .marriedAbroad)])
        #expect(asked == [.marriedAbroad, .nameChanged])
    }

    @Test("Materials that do not apply may always wait; the catalogue's rule holds for the others")
    func provisionalAcceptance() {
        let plan = MaterialPlan(requirements, conditions: [], hasMandate: false)
        #expect(plan.canSupplyLater == [false, true, true, true, true])
    }

    @Test("Every combination of answers and mandate: only applicable materials are asked for, never the mandate's own or one that may wait, and supplying them all leaves nothing")
    func everyCombination() {
        for mask in 0..<8 {
            let conditions = Set([MaterialCondition.marriedAbroad, .nameChanged].enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
            let plan = MaterialPlan(requirements, conditions: conditions, hasMandate: mask & 4 != 0)
            let missing = plan.missingForSubmission(supplied: [])
            #expect(missing.allSatisfy(plan.applies))
            #expect(missing.allSatisfy { !plan.isProvidedByMandate($0) && !requirements[$0].canSupplyLater })
            #expect(missing.contains(0), "the passport is always needed")
            #expect(missing.contains(3) == conditions.contains(.marriedAbroad))
            #expect(missing.contains(2) == (mask & 4 != 0))
            #expect(plan.missingForSubmission(supplied: Set(missing)).isEmpty)
        }
    }
}
