import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Throttle policies")
struct ThrottlePolicyTests {
    @Test("Five wrong passwords from one client are free, then each blocks for longer, up to fifteen minutes")
    func growingDelays() {
        let policy = ThrottlePolicy.signInFromClient
        #expect(policy.delay(afterAttempts: 4) == 0)
        #expect(policy.delay(afterAttempts: 5) == 30)
        #expect(policy.delay(afterAttempts: 6) == 60)
        #expect(policy.delay(afterAttempts: 9) == 480)
        #expect(policy.delay(afterAttempts: 10) == 900)
        #expect(policy.delay(afterAttempts: 500) == 900)
        #expect(policy.lastGrowingAttempt == 10)
    }

    @Test("Across all clients an account waits at most a minute, until 100 failures lock it for a day")
    func accountWideDelaysStayShort() {
        let policy = ThrottlePolicy.signInAnywhere
        #expect(policy.delay(afterAttempts: 19) == 0)
        #expect(policy.delay(afterAttempts: 20) == 1)
        #expect((20..<100).allSatisfy { policy.delay(afterAttempts: $0) <= 60 })
        #expect(policy.delay(afterAttempts: 99) == 60)
        #expect(policy.delay(afterAttempts: 100) == 24 * 3600)
    }

    @Test("Every policy's delays never shrink as attempts grow")
    func monotonic() {
        for policy in [ThrottlePolicy.signInFromClient, .signInAnywhere, .signInClient, .secondFactor, .mailToAddress,
                       .mailToAddressAnywhere, .mailFromClient] {
            let delays = (0...150).map(policy.delay(afterAttempts:))
            #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(policy.delay(afterAttempts: policy.lastGrowingAttempt) >= policy.longestDelay || policy.lockoutAfter != nil)
        }
    }
}
