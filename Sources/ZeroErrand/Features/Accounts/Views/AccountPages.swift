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
    /// The provisioning URI as a QR code (inline SVG), to scan with the app from a computer screen.
    var qrSVG: String
    var enrolling: Bool
    var errors: [String: String] = [:]
}

struct RecoveryCodesPage: Encodable {
    var codes: [String]
    var continuePath: String
}

struct LostPhonePage: Encodable {
    struct Point: Encodable {
        let name: String
        let place: String
        let address: String
        let email: String
        let phone: String
        /// The number as `tel:` wants it: digits and a leading +.
        let phoneLink: String
    }

    let points: [Point]
}
