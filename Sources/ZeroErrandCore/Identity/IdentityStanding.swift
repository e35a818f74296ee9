import Foundation

/// What has been checked about a person, and so which identity level they hold for a matter.
/// Level 3 comes from an official's recorded video check, or, for the matters whose catalogue entry
/// accepts it, from a passport checked in person by an assistant at an overseas service point.
public struct IdentityStanding: Sendable, Equatable {
    public var emailConfirmed: Bool
    public var twoFactor: Bool
    public var videoChecked: Bool
    public var pointChecked: Bool

    public init(emailConfirmed: Bool, twoFactor: Bool, videoChecked: Bool, pointChecked: Bool) {
        self.emailConfirmed = emailConfirmed
        self.twoFactor = twoFactor
        self.videoChecked = videoChecked
        self.pointChecked = pointChecked
    }

    /// Nil without a confirmed address (whoever typed it may not own it).
    public func level(acceptingPointCheck: Bool) -> IdentityLevel? {
        guard emailConfirmed else { return nil }
        if videoChecked || (pointChecked && acceptingPointCheck) { return .videoVerified }
        return twoFactor ? .twoFactor : .emailConfirmed
    }
}

/// A passport shown at a service point's desk, as the assistant may accept it: the citizen's own
/// Chinese passport, valid on the day. The MRZ's check digits are `PassportMRZ`'s.
public enum PointPassportRules {
    public enum Refusal: String, Sendable, Equatable {
        case notChinese = "not_chinese"
        case expired
        /// Valid for longer than a Chinese passport ever is (ten years): mistyped, or made up.
        case expiryTooFar = "expiry_too_far"
    }

    /// `expiry` is the MRZ's raw YYMMDD; a passport runs at most ten years, so its century is this one.
    public static func refusal(_ mrz: PassportMRZ, today: CivilDay) -> Refusal? {
        guard mrz.nationality == "CHN", mrz.issuingState == "CHN" else { return .notChinese }
        guard let expiry = expiryDay(mrz.expiryDate), expiry >= today else { return .expired }
        guard let longest = CivilDay(year: today.year + 10, month: today.month, day: min(today.day, 28)),
              expiry <= longest.adding(days: 4) else { return .expiryTooFar }
        return nil
    }

    public static func expiryDay(_ raw: String) -> CivilDay? {
        guard raw.count == 6, let yy = Int(raw.prefix(2)), let mm = Int(raw.dropFirst(2).prefix(2)), let dd = Int(raw.suffix(2)) else { return nil }
        return CivilDay(year: 2000 + yy, month: mm, day: dd)
    }
}
