import Foundation

/// One step on a petition.
public enum PetitionAction: Sendable, Equatable {
    /// The holding office accepts it for handling.
    case accept
    /// The holding office passes it to the office responsible, with its reasons.
    case transfer(to: UUID, reason: String)
    /// The holding office declines it because it belongs to another lawful route.
    case decline(reason: String)
    /// The one extension of the handling limit, with a reason told to the petitioner.
    case extend(days: Int, reason: String)
    /// The written opinion of the current level.
    case answer
    case rate(PetitionSatisfaction)
    /// Review of the opinion (or re-review of the review) by the office above.
    case requestReview(by: UUID)
}

public enum PetitionActor: Sendable, Equatable {
    case office(UUID)
    case petitioner
}

/// Why a step is refused; the app shows `petition.refusal.<rawValue>`.
public enum PetitionRefusal: String, Error, Sendable, Equatable {
    case notHolder = "not_holder"
    case notPetitioner = "not_petitioner"
    case wrongStage = "wrong_stage"
    case sameOffice = "same_office"
    case missingReason = "missing_reason"
    case reasonTooLong = "reason_too_long"
    case extensionUsed = "extension_used"
    case extensionTooLong = "extension_too_long"
    case extensionTooLate = "extension_too_late"
    case alreadyRated = "already_rated"
    case anonymousNoReview = "anonymous_no_review"
    case reviewWindowClosed = "review_window_closed"
}

/// The rules of a petition from receipt to the re-review. Pure: the caller loads the facts,
/// applies one step and stores the result (with its audit event) only on success.
///
/// | step           | by         | in stage                         | effect |
/// |----------------|------------|----------------------------------|--------|
/// | accept         | holder     | received                         | handling, accepted today |
/// | transfer       | holder     | received                         | held by the other office from today (a new decide clock) |
/// | decline        | holder     | received                         | declined (the lawful route named) |
/// | extend         | holder     | handling, on time, not extended  | handling limit + days (≤ the maximum) |
/// | answer         | holder     | handling / reviewing / re-reviewing | answered / reviewed / closed today |
/// | rate           | petitioner | answered / reviewed / closed, not rated at this level | rated |
/// | request review | petitioner | answered / reviewed, in the window, named | reviewing / re-reviewing, held by the office above |
public enum PetitionRules {
    public static let reasonLimit = 2000

    public static func apply(_ action: PetitionAction, to facts: PetitionFacts, by actor: PetitionActor, today: CivilDay,
                             limits: PetitionTimeLimits, calendar: WorkingDayCalendar) -> Result<PetitionFacts, PetitionRefusal> {
        do {
            return .success(try step(action, facts, actor, today, limits, calendar))
        } catch {
            return .failure(error)
        }
    }

    private static func step(_ action: PetitionAction, _ facts: PetitionFacts, _ actor: PetitionActor, _ today: CivilDay,
                             _ limits: PetitionTimeLimits, _ calendar: WorkingDayCalendar) throws(PetitionRefusal) -> PetitionFacts {
        var next = facts
        switch action {
        case .accept:
            try requireHolder(actor, facts, in: [.received])
            next.stage = .handling
            next.acceptedOn = today
        case .transfer(let office, let reason):
            try requireHolder(actor, facts, in: [.received])
            guard office != facts.holder else { throw .sameOffice }
            try check(reason)
            next.holder = office
            next.heldSince = today
        case .decline(let reason):
            try requireHolder(actor, facts, in: [.received])
            try check(reason)
            next.stage = .declined
        case .extend(let days, let reason):
            try requireHolder(actor, facts, in: [.handling])
            guard facts.extensionDays == 0 else { throw .extensionUsed }
            guard (1...limits.extensionMax).contains(days) else { throw .extensionTooLong }
            if let clock = PetitionClock.current(facts, limits: limits, calendar: calendar), clock.isOverdue(today: today) {
                throw .extensionTooLate
            }
            try check(reason)
            next.extensionDays = days
        case .answer:
            try requireHolder(actor, facts, in: [.handling, .reviewing, .reReviewing])
            switch facts.stage {
            case .handling: next.stage = .answered; next.answeredOn = today
            case .reviewing: next.stage = .reviewed; next.reviewedOn = today
            default: next.stage = .closed; next.reReviewedOn = today
            }
        case .rate:
            try requirePetitioner(actor, facts, in: [.answered, .reviewed, .closed])
            guard facts.ratedLevel != facts.stage.level else { throw .alreadyRated }
            next.ratedLevel = facts.stage.level
        case .requestReview(let office):
            try requirePetitioner(actor, facts, in: [.answered, .reviewed])
            guard !facts.anonymous else { throw .anonymousNoReview }
            guard let clock = PetitionClock.current(facts, limits: limits, calendar: calendar), !clock.isOverdue(today: today) else {
                throw .reviewWindowClosed
            }
            next.holder = office
            next.heldSince = today
            if facts.stage == .answered {
                next.stage = .reviewing
                next.reviewRequestedOn = today
            } else {
                next.stage = .reReviewing
                next.reReviewRequestedOn = today
            }
        }
        return next
    }

    private static func requireHolder(_ actor: PetitionActor, _ facts: PetitionFacts, in stages: Set<PetitionStage>) throws(PetitionRefusal) {
        guard actor == .office(facts.holder) else { throw .notHolder }
        guard stages.contains(facts.stage) else { throw .wrongStage }
    }

    private static func requirePetitioner(_ actor: PetitionActor, _ facts: PetitionFacts, in stages: Set<PetitionStage>) throws(PetitionRefusal) {
        guard actor == .petitioner else { throw .notPetitioner }
        guard stages.contains(facts.stage) else { throw .wrongStage }
    }

    private static func check(_ reason: String) throws(PetitionRefusal) {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .missingReason }
        guard trimmed.count <= reasonLimit else { throw .reasonTooLong }
    }
}
