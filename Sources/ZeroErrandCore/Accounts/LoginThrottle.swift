import Foundation

/// Slows repeated failed sign-ins on one account name and then blocks them for a while.
/// Keyed by the submitted name whether or not an account exists, so the answer reveals nothing.
public struct LoginThrottle: Sendable, Equatable {
    public var failures: Int
    public var lastFailureAt: Date?

    public static let freeAttempts = 5
    public static let longestBlock: TimeInterval = 15 * 60
    /// Failures this old are forgotten, so the owner is never locked out for good.
    public static let memory: TimeInterval = 24 * 60 * 60

    public init(failures: Int = 0, lastFailureAt: Date? = nil) {
        self.failures = failures
        self.lastFailureAt = lastFailureAt
    }

    /// 5 free tries, then 30 s, 1 min, 2 min, 4 min, 8 min, and 15 min for every try after that.
    public static func blockLength(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeAttempts else { return 0 }
        let doublings = min(failures - freeAttempts, 10)
        return min(30 * pow(2, Double(doublings)), longestBlock)
    }

    public func blockedUntil(now: Date) -> Date? {
        guard let last = lastFailureAt, now.timeIntervalSince(last) < Self.memory else { return nil }
        let until = last.addingTimeInterval(Self.blockLength(afterFailures: failures))
        return until > now ? until : nil
    }

    public func recordingFailure(at now: Date) -> LoginThrottle {
        let base = (lastFailureAt.map { now.timeIntervalSince($0) < Self.memory } ?? false) ? failures : 0
        return LoginThrottle(failures: base + 1, lastFailureAt: now)
    }
}
