/// The three areas of the catalogue, as the Wenzhou "Global Service" platform groups them.
public enum MatterArea: String, Sendable, CaseIterable, Codable {
    case government, justice, petitions
}

/// How a matter can be done without the citizen travelling home.
public enum HandlingChannel: String, Sendable, CaseIterable, Codable {
    case exempt, proxy, online, video
    case overseasPoint = "overseas_point"
}

/// How sure the platform is of who the citizen is.
public enum IdentityLevel: Int, Sendable, CaseIterable, Codable, Comparable {
    /// Email address confirmed.
    case emailConfirmed = 1
    /// Signs in with a second factor.
    case twoFactor = 2
    /// Identity confirmed by an official over live video.
    case videoVerified = 3

    public static func < (lhs: IdentityLevel, rhs: IdentityLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
