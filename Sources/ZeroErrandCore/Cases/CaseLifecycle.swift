import Foundation

/// What the lifecycle needs to know about a case: its status and the dates it has promised.
public struct CaseSnapshot: Sendable, Equatable, Codable {
    public var status: CaseStatus
    /// Indices of materials accepted as "supply later" at provisional acceptance, ascending.
    public var provisionalMissing: [Int]
    /// When the provisionally missing materials are due.
    public var supplyBy: Date?
    /// When the materials of the open supplement request are due; nil when none is open
    /// (cleared by resubmission and by withdrawal).
    public var supplementDueBy: Date?

    public init(
        status: CaseStatus = .draft,
        provisionalMissing: [Int] = [],
        supplyBy: Date? = nil,
        supplementDueBy: Date? = nil
    ) {
        self.status = status
        self.provisionalMissing = provisionalMissing
        self.supplyBy = supplyBy
        self.supplementDueBy = supplementDueBy
    }

    /// A case the applicant has just started.
    public static let draft = CaseSnapshot()

    /// The same case once a provisionally missing material has arrived. Not a status change:
    /// the material is uploaded while the office works the case. When the last one arrives the
    /// supply-by date is dropped.
    public func supplying(material index: Int) -> CaseSnapshot {
        var next = self
        next.provisionalMissing.removeAll { $0 == index }
        if next.provisionalMissing.isEmpty { next.supplyBy = nil }
        return next
    }
}

/// Facts from the catalogue the rules need.
public struct CaseContext: Sendable, Equatable {
    /// For each material the matter asks for, in the catalogue's order: may it come later?
    public var materialsCanSupplyLater: [Bool]

    public init(materialsCanSupplyLater: [Bool] = []) {
        self.materialsCanSupplyLater = materialsCanSupplyLater
    }
}

/// What a transition does to the legal time limit (see `LegalDeadline`).
public enum CaseClockEffect: Sendable, Equatable {
    /// Nothing changes.
    case none
    /// The limit starts counting: the case was accepted.
    case start
    /// A pause begins: a supplement was requested (the pause starts after that day).
    case pause
    /// The pause ends: the applicant resubmitted (the pause covers that day).
    case resume
    /// The limit stops for good: a decision was made or the case was withdrawn. Also from a
    /// pause (a withdrawal while materials were awaited): the open pause ends there too.
    case stop
}

/// The case state machine. Pure: the caller loads a snapshot, applies an action, and stores the
/// result (with its audit event and timeline entry) only on success.
///
/// Transition table (the only edges there are; everything else is `notAllowed`):
///
/// | action               | role      | from                                                              | to                   |
/// |----------------------|-----------|-------------------------------------------------------------------|----------------------|
/// | submit               | applicant | draft                                                             | submitted            |
/// | withdraw             | applicant | draft, submitted, accepted, in_review, supplement_requested, resubmitted | withdrawn     |
/// | accept               | office    | submitted                                                         | accepted             |
/// | accept_provisionally | office    | submitted                                                         | accepted             |
/// | not_accept           | office    | submitted                                                         | not_accepted         |
/// | start_review         | office    | accepted, resubmitted                                             | in_review            |
/// | request_supplement   | office    | accepted, in_review, resubmitted                                  | supplement_requested |
/// | resubmit             | applicant | supplement_requested                                              | resubmitted          |
/// | approve              | office    | in_review, resubmitted                                            | approved             |
/// | refuse               | office    | in_review, resubmitted                                            | refused              |
/// | issue_result         | office    | approved                                                          | result_issued        |
/// | record_production    | office    | approved                                                          | approved             |
/// | ready_for_collection | office    | approved                                                          | result_issued        |
/// | record_collection    | office    | result_issued                                                     | closed               |
/// | close                | office    | result_issued, refused, not_accepted                              | closed               |
///
/// Checks, in order: the role (`wrongRole`), the status (`notAllowed`), then the action's input
/// (reasons, notes and supplement items non-empty once trimmed and at most `maxTextLength`
/// characters; at least one supplement item; dates after `now`; provisional acceptance only of
/// materials the catalogue lets come later, and at least one).
public enum CaseLifecycle {
    /// Longest reason, note or supplement item, in characters, after trimming.
    public static let maxTextLength = 2000

    /// Where each action may start from and where it leads.
    public static let transitions: [CaseActionKind: (from: Set<CaseStatus>, to: CaseStatus)] = [
        .submit: ([.draft], .submitted),
        .withdraw: ([.draft, .submitted, .accepted, .inReview, .supplementRequested, .resubmitted], .withdrawn),
        .accept: ([.submitted], .accepted),
        .acceptProvisionally: ([.submitted], .accepted),
        .notAccept: ([.submitted], .notAccepted),
        .startReview: ([.accepted, .resubmitted], .inReview),
        .requestSupplement: ([.accepted, .inReview, .resubmitted], .supplementRequested),
        .resubmit: ([.supplementRequested], .resubmitted),
        .approve: ([.inReview, .resubmitted], .approved),
        .refuse: ([.inReview, .resubmitted], .refused),
        .issueResult: ([.approved], .resultIssued),
        .recordProduction: ([.approved], .approved),
        .readyForCollection: ([.approved], .resultIssued),
        .recordCollection: ([.resultIssued], .closed),
        .close: ([.resultIssued, .refused, .notAccepted], .closed),
    ]

    /// The status `kind` leads to from `status`, or nil if it is not allowed there.
    public static func target(of kind: CaseActionKind, from status: CaseStatus) -> CaseStatus? {
        guard let edge = transitions[kind], edge.from.contains(status) else { return nil }
        return edge.to
    }

    /// The kinds of action `role` may take in `status`, in a stable order (for buttons).
    public static func allowedKinds(for status: CaseStatus, role: CaseRole) -> [CaseActionKind] {
        CaseActionKind.allCases.filter { $0.role == role && target(of: $0, from: status) != nil }
    }

    /// The names of the actions `role` may take in `status`, in a stable order (for buttons).
    public static func allowedActions(for status: CaseStatus, role: CaseRole) -> [String] {
        allowedKinds(for: status, role: role).map(\.rawValue)
    }

    /// Applies `action` by `role` to `snapshot` at `now`. On failure the caller keeps its snapshot:
    /// nothing is changed.
    public static func apply(
        _ action: CaseAction,
        by role: CaseRole,
        to snapshot: CaseSnapshot,
        context: CaseContext,
        now: Date
    ) -> Result<CaseSnapshot, CaseTransitionError> {
        let kind = action.kind
        guard role == kind.role else { return .failure(.wrongRole(action: kind.rawValue)) }
        guard let status = target(of: kind, from: snapshot.status) else {
            return .failure(.notAllowed(action: kind.rawValue, status: snapshot.status))
        }

        var next = snapshot
        next.status = status
        switch action {
        case .submit, .startReview, .issueResult, .readyForCollection, .close:
            break
        case .recordProduction(let text), .recordCollection(let text):
            if let error = checkText(text) { return .failure(error) }
        case .withdraw:
            // Nothing is awaited from a withdrawn case.
            next.supplementDueBy = nil
        case .accept:
            next.provisionalMissing = []
            next.supplyBy = nil
        case .acceptProvisionally(let missing, let supplyBy):
            if let error = checkMissing(missing, context: context) { return .failure(error) }
            guard supplyBy > now else { return .failure(.dateNotInFuture) }
            next.provisionalMissing = Array(Set(missing)).sorted()
            next.supplyBy = supplyBy
        case .notAccept(let text), .approve(let text), .refuse(let text):
            if let error = checkText(text) { return .failure(error) }
        case .requestSupplement(let items, let dueBy):
            guard !items.isEmpty else { return .failure(.noSupplementItems) }
            for (position, item) in items.enumerated() {
                switch checkText(item) {
                case .missingReason?: return .failure(.emptySupplementItem(position: position))
                case let error?: return .failure(error)
                case nil: break
                }
            }
            guard dueBy > now else { return .failure(.dateNotInFuture) }
            next.supplementDueBy = dueBy
        case .resubmit:
            next.supplementDueBy = nil
        }
        return .success(next)
    }

    /// What moving from `from` to `to` does to the legal time limit.
    public static func clockEffect(from: CaseStatus, to: CaseStatus) -> CaseClockEffect {
        let wasCounting = from.clockRuns || from == .supplementRequested
        switch (from.clockRuns, to.clockRuns) {
        case (false, true): return from == .supplementRequested ? .resume : .start
        case (true, false) where to == .supplementRequested: return .pause
        case (_, false) where wasCounting && to != .supplementRequested: return .stop
        default: return .none
        }
    }

    /// The text as it should be stored: surrounding whitespace and newlines removed.
    public static func normalizedText(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    static func checkText(_ text: String) -> CaseTransitionError? {
        let trimmed = normalizedText(text)
        if trimmed.isEmpty { return .missingReason }
        if trimmed.count > maxTextLength { return .textTooLong }
        return nil
    }

    static func checkMissing(_ missing: [Int], context: CaseContext) -> CaseTransitionError? {
        guard !missing.isEmpty else { return .nothingMissing }
        for index in missing {
            guard context.materialsCanSupplyLater.indices.contains(index) else { return .unknownMaterial(index: index) }
            guard context.materialsCanSupplyLater[index] else { return .materialCannotWait(index: index) }
        }
        return nil
    }
}
