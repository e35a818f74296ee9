import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Sign-in throttling")
struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_796_000_000)

    @Test("Five tries are free, then each failure blocks for longer, up to fifteen minutes")
    func growingBlocks() {
        #expect(LoginThrottle.blockLength(afterFailures: 4) == 0)
        #expect(LoginThrottle.blockLength(afterFailures: 5) == 30)
        #expect(LoginThrottle.blockLength(afterFailures: 6) == 60)
        #expect(LoginThrottle.blockLength(afterFailures: 9) == 480)
        #expect(LoginThrottle.blockLength(afterFailures: 10) == 900)
        #expect(LoginThrottle.blockLength(afterFailures: 500) == 900)
    }

    @Test("A block ends by itself: the owner is never locked out for good")
    func blockEnds() {
        var throttle = LoginThrottle()
        for second in 0..<12 { throttle = throttle.recordingFailure(at: start.addingTimeInterval(Double(second))) }
        let last = start.addingTimeInterval(11)
        #expect(throttle.blockedUntil(now: last) == last.addingTimeInterval(900))
        #expect(throttle.blockedUntil(now: last.addingTimeInterval(899)) != nil)
        #expect(throttle.blockedUntil(now: last.addingTimeInterval(900)) == nil)
    }

    @Test("Failures a day old are forgotten")
    func memory() {
        var throttle = LoginThrottle()
        for _ in 0..<7 { throttle = throttle.recordingFailure(at: start) }
        let later = throttle.recordingFailure(at: start.addingTimeInterval(LoginThrottle.memory + 1))
        #expect(later.failures == 1)
        #expect(later.blockedUntil(now: start.addingTimeInterval(LoginThrottle.memory + 1)) == nil)
    }
}
