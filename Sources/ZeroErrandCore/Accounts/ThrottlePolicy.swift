import Foundation

/// How quickly repeated attempts on one key (an account name, a client address, an account name
/// from one client, an email address asked for mail) are slowed: some attempts free, then a delay
/// that doubles with every further attempt up to `longestDelay`, never a lockout that an attacker
/// can renew for ever, except `lockoutAfter` consecutive failures of one account (NIST SP 800-63B
/// allows 100), which only the owner's email reset clears.
public struct ThrottlePolicy: Sendable, Equatable {
    public var freeAttempts: Int
    public var firstDelay: TimeInterval
    public var longestDelay: TimeInterval
    /// Attempts this long after the last one start counting from one again.
    public var memory: TimeInterval
    public var lockoutAfter: Int?

    public init(freeAttempts: Int, firstDelay: TimeInterval, longestDelay: TimeInterval, memory: TimeInterval, lockoutAfter: Int? = nil) {
        self.freeAttempts = freeAttempts
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.memory = memory
        self.lockoutAfter = lockoutAfter
    }

    /// Wrong passwords for one account from one client: 5 free, then 30 s, 1, 2, 4, 8 and 15 minutes.
    public static let signInFromClient = ThrottlePolicy(freeAttempts: 5, firstDelay: 30, longestDelay: 15 * 60, memory: 24 * 3600)
    /// Wrong passwords for one account from anywhere: a spread-out guesser is slowed too, but only
    /// to a minute, so the owner elsewhere still gets in after a short wait.
    public static let signInAnywhere = ThrottlePolicy(freeAttempts: 20, firstDelay: 1, longestDelay: 60, memory: 24 * 3600, lockoutAfter: 100)
    /// Wrong passwords from one client for any accounts (password spraying).
    public static let signInClient = ThrottlePolicy(freeAttempts: 30, firstDelay: 2, longestDelay: 15 * 60, memory: 3600)
    /// Wrong second-factor codes for one account.
    public static let secondFactor = ThrottlePolicy(freeAttempts: 5, firstDelay: 30, longestDelay: 15 * 60, memory: 24 * 3600)
    /// Typing one's own ID number to accept a power of attorney, per mandate: the owner of the
    /// invited mailbox must not be able to walk the birth dates behind a masked number.
    public static let mandateAcceptance = ThrottlePolicy(freeAttempts: 5, firstDelay: 5 * 60, longestDelay: 6 * 3600, memory: 7 * 24 * 3600)
    /// Mail that anyone can ask us to send to an address (registration, reset, confirmation), asked
    /// for by one client.
    public static let mailToAddress = ThrottlePolicy(freeAttempts: 3, firstDelay: 5 * 60, longestDelay: 6 * 3600, memory: 24 * 3600)
    /// The same for one address from anywhere: looser, and never longer than an hour, so the owner
    /// can always get a reset link (the way out of a sign-in lockout) within the hour.
    public static let mailToAddressAnywhere = ThrottlePolicy(freeAttempts: 10, firstDelay: 5 * 60, longestDelay: 3600, memory: 24 * 3600)
    /// The same requests from one client, whatever the address.
    public static let mailFromClient = ThrottlePolicy(freeAttempts: 10, firstDelay: 60, longestDelay: 3600, memory: 3600)
    /// The same from a service point's desk, where an assistant registers one visitor after another
    /// from one network: counted per point, for a busy day's visitors.
    /// Walk-in numbers taken from one client: a family takes a few; a script taking hundreds is stopped.
    public static let walkInFromClient = ThrottlePolicy(freeAttempts: 6, firstDelay: 60, longestDelay: 3600, memory: 3600)
    public static let mailFromPoint = ThrottlePolicy(freeAttempts: 80, firstDelay: 60, longestDelay: 3600, memory: 3600)

    /// How long the key is blocked after its `attempts`-th counted attempt.
    public func delay(afterAttempts attempts: Int) -> TimeInterval {
        if let lockoutAfter, attempts >= lockoutAfter { return memory }
        guard attempts >= freeAttempts else { return 0 }
        let doublings = min(attempts - freeAttempts, 30)
        return min(firstDelay * pow(2, Double(doublings)), longestDelay)
    }

    /// The attempt count after which the delay no longer grows (below a lockout): delays for
    /// counts up to here are spelled out, the rest are `longestDelay` or the lockout.
    public var lastGrowingAttempt: Int {
        var attempts = freeAttempts
        while delay(afterAttempts: attempts) < longestDelay && attempts < freeAttempts + 30 { attempts += 1 }
        return attempts
    }
}
