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

/// How an application for a matter starts on the platform, from the catalogue's channels.
public enum ApplicationStart: Sendable, Equatable {
    /// The citizen applies and the office works it online.
    case online
    /// The citizen applies online and an official meets them by live video within the case.
    case byVideo
    /// A close relative at home acts under a power of attorney (the citizen may confirm by video).
    case throughRelative
    /// Not on the platform: at an overseas service point, or no application is needed.
    case offPlatform

    public init(_ channels: some Collection<HandlingChannel>) {
        if channels.contains(.online) { self = .online }
        else if channels.contains(.proxy) { self = .throughRelative }
        else if channels.contains(.video) { self = .byVideo }
        else { self = .offPlatform }
    }

    /// Whether a citizen may apply for themselves, without a relative.
    public var citizenApplies: Bool { self == .online || self == .byVideo }
}
