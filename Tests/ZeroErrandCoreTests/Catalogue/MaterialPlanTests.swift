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

    @Test("Every combination: a required material is one that applies, is not the mandate and cannot wait")
    func everyCombination() {
        for mask in 0..<8 {
            let conditions = Set([MaterialCondition.marriedAbroad, .nameChanged].enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
            let plan = MaterialPlan(requirements, conditions: conditions, hasMandate: mask & 4 != 0)
            for index in requirements.indices {
                let required = plan.missingForSubmission(supplied: []).contains(index)
                #expect(required == (plan.applies(index) && !plan.isProvidedByMandate(index) && !requirements[index].canSupplyLater))
                #expect(!plan.missingForSubmission(supplied: [index]).contains(index))
            }
        }
    }
}
