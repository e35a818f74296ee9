import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Time two people were in a room together")
struct CoPresenceTests {
    let start = Date(timeIntervalSince1970: 1_796_000_000)
    func at(_ seconds: Int) -> Date { start.addingTimeInterval(TimeInterval(seconds)) }
    func span(_ from: Int, _ to: Int) -> CoPresence.Interval { .init(start: at(from), end: at(to)) }

    @Test("Only the overlap after the appointment's start counts")
    func overlapAfterStart() {
        #expect(CoPresence.together([span(-600, 120)], [span(-300, 300)], notBefore: start) == 120)
        #expect(CoPresence.together([span(-600, -1)], [span(-600, -1)], notBefore: start) == 0)
        #expect(CoPresence.together([span(0, 100)], [span(100, 200)], notBefore: start) == 0)
        #expect(CoPresence.together([span(0, 100)], [], notBefore: start) == 0)
    }

    @Test("Reconnects and a second tab count once")
    func unionOfOneSide() {
        #expect(CoPresence.together([span(0, 60), span(30, 90), span(120, 180)], [span(0, 1000)], notBefore: start) == 150)
    }

    @Test("Generated intervals agree with counting second by second")
    func generated() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            func intervals() -> [CoPresence.Interval] {
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    let from = Int.random(in: -50...200, using: &generator)
                    return span(from, from + Int.random(in: -5...80, using: &generator))
                }
            }
            let a = intervals(), b = intervals()
            func covers(_ list: [CoPresence.Interval], _ second: Int) -> Bool {
                list.contains { $0.start <= at(second) && at(second + 1) <= $0.end }
            }
            let expected = (0..<300).filter { covers(a, $0) && covers(b, $0) }.count
            #expect(CoPresence.together(a, b, notBefore: start) == TimeInterval(expected))
        }
    }
}
