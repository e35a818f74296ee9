/// The statutory time limits of a petition (Regulations on Letters and Visits Work, 2022,
/// arts. 32, 33, 35), read from `Resources/Calendar/petition-limits.yaml` and counted in working
/// days on the holiday calendar. Day 1 is the first working day after the starting day.
public struct PetitionTimeLimits: Sendable, Equatable, Codable {
    /// From receipt by an office to telling the petitioner whether it is accepted.
    public var decide: Int
    /// From acceptance to the written opinion.
    public var handle: Int
    /// The one extension of `handle`, at most this long, with a reason told to the petitioner.
    public var extensionMax: Int
    /// From the opinion to a request for review, and from the request to the review opinion.
    public var requestReview: Int
    public var answerReview: Int
    /// The same for the re-review; after it the matter is closed.
    public var requestReReview: Int
    public var answerReReview: Int

    enum CodingKeys: String, CodingKey {
        case decide = "decide_days", handle = "handle_days", extensionMax = "extension_max_days"
        case requestReview = "request_review_days", answerReview = "answer_review_days"
        case requestReReview = "request_re_review_days", answerReReview = "answer_re_review_days"
    }

    public init(decide: Int, handle: Int, extensionMax: Int, requestReview: Int, answerReview: Int,
                requestReReview: Int, answerReReview: Int) {
        self.decide = decide
        self.handle = handle
        self.extensionMax = extensionMax
        self.requestReview = requestReview
        self.answerReview = answerReview
        self.requestReReview = requestReReview
        self.answerReReview = answerReReview
    }

    /// Every limit positive: a zero or negative day count in the file is a mistake, not a rule.
    public var problem: String? {
        let all = [("decide_days", decide), ("handle_days", handle), ("extension_max_days", extensionMax),
                   ("request_review_days", requestReview), ("answer_review_days", answerReview),
                   ("request_re_review_days", requestReReview), ("answer_re_review_days", answerReReview)]
        return all.first { !(1...365).contains($0.1) }.map { "\($0.0) must be between 1 and 365" }
    }
}
