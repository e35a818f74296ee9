import Foundation

/// Password rules after NIST SP 800-63B §5.1.1.2: length, a blocklist, no composition rules.
public struct PasswordPolicy: Sendable {
    public enum Problem: String, Sendable, Equatable, CaseIterable {
        case tooShort = "password.too_short"
        case tooLong = "password.too_long"
        case common = "password.common"
        case containsEmail = "password.contains_email"
    }

    public static let minimumLength = 8
    /// Far above the 64 NIST asks us to accept; the cap only stops absurd request bodies.
    public static let maximumLength = 256

    private let blocklist: Set<String>

    public init(blocklist: Set<String>) {
        self.blocklist = Set(blocklist.map { Self.normalize($0).lowercased() })
    }

    /// NFKC so that the same passphrase typed on different keyboards compares equal.
    public static func normalize(_ password: String) -> String {
        password.precomposedStringWithCompatibilityMapping
    }

    /// Length counts characters (grapheme clusters), not bytes: 64 Chinese characters are 64.
    public func problems(password: String, email: String?) -> [Problem] {
        let normalized = Self.normalize(password)
        if normalized.count < Self.minimumLength { return [.tooShort] }
        if normalized.count > Self.maximumLength { return [.tooLong] }
        var problems: [Problem] = []
        if blocklist.contains(normalized.lowercased()) { problems.append(.common) }
        if let email, let local = email.split(separator: "@").first, local.count >= 4,
           normalized.lowercased().contains(local.lowercased()) {
            problems.append(.containsEmail)
        }
        return problems
    }

    public var blocklistCount: Int { blocklist.count }
}
