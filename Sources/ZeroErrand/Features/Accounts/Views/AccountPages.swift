import Vapor

struct AccountPage: Encodable {
    var email: String
    var displayName: String
    var kindLabel: String
    var identityLevel: String
    var hasSecondFactor: Bool
    var mustUseSecondFactor: Bool
    var recoveryCodesLeft: Int
    var timeZone: String
    var locale: String
    var timeZones: [String]
    var memberSince: String
    var errors: [String: String] = [:]
    var notice: String?
}

struct TwoFactorSetupPage: Encodable {
    /// Grouped in fours so it can be typed by hand.
    var secretGroups: String
    var provisioningURI: String
    var enrolling: Bool
    var errors: [String: String] = [:]
}

struct RecoveryCodesPage: Encodable {
    var codes: [String]
    var continuePath: String
}
