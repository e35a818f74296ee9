import Foundation

/// How long a sign-in lasts (OWASP ASVS 3.3): staff time out sooner, as they see others' data.
public enum SessionPolicy {
    public static let absoluteLimit: TimeInterval = 12 * 3600
    /// Between the password and the second factor.
    public static let pendingLimit: TimeInterval = 10 * 60

    public static func idleLimit(for kind: AccountKind) -> TimeInterval {
        kind == .citizen ? 30 * 60 : 15 * 60
    }

    public static func isExpired(createdAt: Date, lastSeenAt: Date, kind: AccountKind, pending: Bool, now: Date) -> Bool {
        if now.timeIntervalSince(createdAt) >= absoluteLimit { return true }
        let idle = pending ? pendingLimit : idleLimit(for: kind)
        return now.timeIntervalSince(lastSeenAt) >= idle
    }
}
