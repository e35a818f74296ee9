import Testing
import ZeroErrandCore

@Suite("One request, several offices: where the bundle stands")
struct BundleRulesTests {
    @Test("Done only when every part issued its result; drafting until a part is sent")
    func doneWhenEveryPartIssued() {
        #expect(BundleRules.outcome([.drafting, .drafting, .drafting], rule: .stopOthers) == .drafting)
        #expect(BundleRules.outcome([.underway, .drafting, .drafting], rule: .stopOthers) == .underway)
        #expect(BundleRules.outcome([.issued, .issued, .underway], rule: .stopOthers) == .underway)
        #expect(BundleRules.outcome([.issued, .issued, .issued], rule: .stopOthers) == .done)
        #expect(BundleRules.outcome([.withdrawn, .withdrawn], rule: .othersContinue) == .withdrawn)
        #expect(BundleRules.outcome([.issued, .withdrawn], rule: .stopOthers) == .partlyWithdrawn)
        #expect(BundleRules.outcome([.issued, .withdrawn, .underway], rule: .stopOthers) == .underway)
    }

    @Test("A refused part stops the open parts when they depend on each other, and only then")
    func refusalStopsOrNot() {
        let parts: [BundlePartState] = [.issued, .refused, .underway, .drafting]
        #expect(BundleRules.outcome(parts, rule: .stopOthers) == .stopped(refused: [1]))
        #expect(BundleRules.partsToStop(after: 1, parts, rule: .stopOthers) == [2, 3])
        #expect(BundleRules.partsToStop(after: 1, parts, rule: .othersContinue).isEmpty)
        #expect(BundleRules.outcome(parts, rule: .othersContinue) == .underway)
        #expect(BundleRules.outcome([.issued, .refused, .issued], rule: .othersContinue) == .finishedWithRefusals(refused: [1]))
        // Asking about a part that was not refused stops nothing.
        #expect(BundleRules.partsToStop(after: 0, parts, rule: .stopOthers).isEmpty)
        #expect(BundleRules.partsToStop(after: 9, parts, rule: .stopOthers).isEmpty)
    }
}
