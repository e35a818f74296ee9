import Foundation

/// What a petition is about (信访事项的类型).
public enum PetitionKind: String, Sendable, Codable, CaseIterable {
    /// Suggestions and opinions on government work.
    case suggestion
    /// A complaint about, or a report of, an official or an office; the only kind that may be anonymous.
    case complaint
    /// A request to resolve a problem of the petitioner's own.
    case request

    public var mayBeAnonymous: Bool { self == .complaint }
}

/// Where a petition stands. Levels: the first opinion, the review (复查), the re-review (复核).
public enum PetitionStage: String, Sendable, Codable, CaseIterable {
    /// Received by an office that must say within the decide limit whether it accepts it.
    case received
    /// Accepted; the office writes its opinion within the handling limit.
    case handling
    /// The opinion is given; the petitioner may ask for a review within the window.
    case answered
    /// A higher office reviews the opinion.
    case reviewing
    /// The review opinion is given; the petitioner may ask for a re-review within the window.
    case reviewed
    /// The office above that re-reviews.
    case reReviewing = "re_reviewing"
    /// The re-review opinion is given: the matter is closed for good.
    case closed
    /// Not a petition matter: the lawful route was named instead.
    case declined
    /// The same facts as a petition already closed after re-review: answered with that result.
    case repeated

    /// 0 for the first opinion, 1 for the review, 2 for the re-review.
    public var level: Int {
        switch self {
        case .received, .handling, .answered, .declined, .repeated: 0
        case .reviewing, .reviewed: 1
        case .reReviewing, .closed: 2
        }
    }
}

/// How the petitioner rates an opinion (满意 / 基本满意 / 不满意).
public enum PetitionSatisfaction: String, Sendable, Codable, CaseIterable {
    case satisfied, partly, dissatisfied
}

/// The dates a petition's clocks run from, as civil days in the offices' zone (Asia/Shanghai).
public struct PetitionFacts: Sendable, Equatable {
    public var stage: PetitionStage
    public var anonymous: Bool
    /// The office holding it now, and the day it reached that office.
    public var holder: UUID
    public var heldSince: CivilDay
    public var acceptedOn: CivilDay?
    /// 0 until the one extension is granted.
    public var extensionDays: Int
    public var answeredOn: CivilDay?
    public var reviewRequestedOn: CivilDay?
    public var reviewedOn: CivilDay?
    public var reReviewRequestedOn: CivilDay?
    public var reReviewedOn: CivilDay?
    /// The level whose opinion the petitioner last rated.
    public var ratedLevel: Int?

    public init(stage: PetitionStage, anonymous: Bool, holder: UUID, heldSince: CivilDay, acceptedOn: CivilDay? = nil,
                extensionDays: Int = 0, answeredOn: CivilDay? = nil, reviewRequestedOn: CivilDay? = nil,
                reviewedOn: CivilDay? = nil, reReviewRequestedOn: CivilDay? = nil, reReviewedOn: CivilDay? = nil,
                ratedLevel: Int? = nil) {
        self.stage = stage
        self.anonymous = anonymous
        self.holder = holder
        self.heldSince = heldSince
        self.acceptedOn = acceptedOn
        self.extensionDays = extensionDays
        self.answeredOn = answeredOn
        self.reviewRequestedOn = reviewRequestedOn
        self.reviewedOn = reviewedOn
        self.reReviewRequestedOn = reReviewRequestedOn
        self.reReviewedOn = reReviewedOn
        self.ratedLevel = ratedLevel
    }
}
