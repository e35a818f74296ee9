/// Which clock runs on a petition now, and for whom.
public struct PetitionClock: Sendable, Equatable {
    public enum Party: String, Sendable { case office, petitioner }
    public enum Purpose: String, Sendable {
        case decide, handle, requestReview = "request_review", answerReview = "answer_review"
        case requestReReview = "request_re_review", answerReReview = "answer_re_review"
    }

    public var party: Party
    public var purpose: Purpose
    public var startedOn: CivilDay
    /// Working days, the extension included.
    public var limit: Int
    /// The last day that is on time.
    public var dueDay: CivilDay

    public func isOverdue(today: CivilDay) -> Bool { today > dueDay }

    /// The clock of `facts` today, nil once nothing more is due (closed, declined, repeated, or an
    /// anonymous report answered: a review needs a known petitioner).
    public static func current(_ facts: PetitionFacts, limits: PetitionTimeLimits, calendar: WorkingDayCalendar) -> PetitionClock? {
        func clock(_ party: Party, _ purpose: Purpose, _ start: CivilDay?, _ limit: Int) -> PetitionClock? {
            guard let start else { return nil }
            return PetitionClock(party: party, purpose: purpose, startedOn: start, limit: limit,
                                 dueDay: calendar.addingWorkingDays(limit, to: start))
        }
        switch facts.stage {
        case .received: return clock(.office, .decide, facts.heldSince, limits.decide)
        case .handling: return clock(.office, .handle, facts.acceptedOn, limits.handle + facts.extensionDays)
        case .answered: return facts.anonymous ? nil : clock(.petitioner, .requestReview, facts.answeredOn, limits.requestReview)
        case .reviewing: return clock(.office, .answerReview, facts.reviewRequestedOn, limits.answerReview)
        case .reviewed: return facts.anonymous ? nil : clock(.petitioner, .requestReReview, facts.reviewedOn, limits.requestReReview)
        case .reReviewing: return clock(.office, .answerReReview, facts.reReviewRequestedOn, limits.answerReReview)
        case .closed, .declined, .repeated: return nil
        }
    }
}
