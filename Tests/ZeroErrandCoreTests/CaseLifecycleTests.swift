import Foundation
import Testing
@testable import ZeroErrandCore

/// The transition table as the issue states it, written out independently of the implementation.
private let expectedEdges: Set<Edge> = [
    Edge(.draft, "submit", .submitted),
    Edge(.draft, "withdraw", .withdrawn),
    Edge(.submitted, "withdraw", .withdrawn),
    Edge(.accepted, "withdraw", .withdrawn),
    Edge(.inReview, "withdraw", .withdrawn),
    Edge(.supplementRequested, "withdraw", .withdrawn),
    Edge(.resubmitted, "withdraw", .withdrawn),
    Edge(.submitted, "accept", .accepted),
    Edge(.submitted, "accept_provisionally", .accepted),
    Edge(.submitted, "not_accept", .notAccepted),
    Edge(.accepted, "start_review", .inReview),
    Edge(.resubmitted, "start_review", .inReview),
    Edge(.accepted, "request_supplement", .supplementRequested),
    Edge(.inReview, "request_supplement", .supplementRequested),
    Edge(.resubmitted, "request_supplement", .supplementRequested),
    Edge(.supplementRequested, "resubmit", .resubmitted),
    Edge(.inReview, "approve", .approved),
    Edge(.resubmitted, "approve", .approved),
    Edge(.inReview, "refuse", .refused),
    Edge(.resubmitted, "refuse", .refused),
    Edge(.approved, "issue_result", .resultIssued),
    Edge(.approved, "record_production", .approved),
    Edge(.approved, "ready_for_collection", .resultIssued),
    Edge(.resultIssued, "record_collection", .closed),
    Edge(.resultIssued, "close", .closed),
    Edge(.refused, "close", .closed),
    Edge(.notAccepted, "close", .closed),
]

private let applicantActions: Set<String> = ["submit", "withdraw", "resubmit"]

private struct Edge: Hashable, CustomStringConvertible {
    let from: CaseStatus
    let action: String
    let to: CaseStatus
    init(_ from: CaseStatus, _ action: String, _ to: CaseStatus) {
        self.from = from
        self.action = action
        self.to = to
    }
    var description: String { "\(from.rawValue) --\(action)--> \(to.rawValue)" }
}

private let now = Date(timeIntervalSince1970: 1_796_000_000)
private let nextWeek = now.addingTimeInterval(7 * 86_400)
/// Material 0 and 2 may come later, material 1 may not.
private let context = CaseContext(materialsCanSupplyLater: [true, false, true])

/// A valid instance of every kind of action.
private func validAction(_ kind: CaseActionKind) -> CaseAction {
    switch kind {
    case .submit: .submit
    case .withdraw: .withdraw
    case .accept: .accept
    case .acceptProvisionally: .acceptProvisionally(missing: [2], supplyBy: nextWeek)
    case .notAccept: .notAccept(reason: "The matter belongs to another office.")
    case .startReview: .startReview
    case .requestSupplement: .requestSupplement(items: ["Passport, page with the photo"], dueBy: nextWeek)
    case .resubmit: .resubmit
    case .approve: .approve(note: "All materials in order.")
    case .refuse: .refuse(reason: "The applicant is not entitled to this certificate.")
    case .issueResult: .issueResult
    case .recordProduction: .recordProduction(note: "Card made, batch 2026-12.")
    case .readyForCollection: .readyForCollection
    case .recordCollection: .recordCollection(collector: "Li Si (parent), ID checked, with a mandate pass")
    case .close: .close
    }
}

private func apply(_ action: CaseAction, by role: CaseRole? = nil, to snapshot: CaseSnapshot) -> Result<CaseSnapshot, CaseTransitionError> {
    CaseLifecycle.apply(action, by: role ?? action.role, to: snapshot, context: context, now: now)
}

@Suite("Case lifecycle")
struct CaseLifecycleTests {
    @Test("Statuses keep their stored names and their properties")
    func statuses() {
        #expect(CaseStatus.allCases.map(\.rawValue) == [
            "draft", "submitted", "accepted", "not_accepted", "in_review", "supplement_requested",
            "resubmitted", "approved", "refused", "result_issued", "closed", "withdrawn",
        ])
        #expect(Set(CaseStatus.allCases.filter(\.isTerminal)) == [.closed, .withdrawn])
        #expect(Set(CaseStatus.allCases.filter(\.isDecided)) == [.approved, .refused, .resultIssued, .closed, .notAccepted])
        #expect(Set(CaseStatus.allCases.filter(\.clockRuns)) == [.accepted, .inReview, .resubmitted])
    }

    @Test("Actions have stable names and belong to one side")
    func actionNames() {
        #expect(CaseAction.requestSupplement(items: ["x"], dueBy: now).name == "request_supplement")
        #expect(CaseAction.acceptProvisionally(missing: [0], supplyBy: now).name == "accept_provisionally")
        #expect(CaseAction.notAccept(reason: "x").name == "not_accept")
        #expect(CaseAction.issueResult.name == "issue_result")
        #expect(Set(CaseActionKind.allCases.map(\.rawValue)) == Set(expectedEdges.map(\.action)))
        for kind in CaseActionKind.allCases {
            #expect(validAction(kind).kind == kind)
            #expect(kind.role == (applicantActions.contains(kind.rawValue) ? .applicant : .office), "\(kind)")
        }
    }

    @Test("The table in the code is the table of the issue")
    func tableMatchesIssue() {
        var edges = Set<Edge>()
        for (kind, edge) in CaseLifecycle.transitions {
            for from in edge.from { edges.insert(Edge(from, kind.rawValue, edge.to)) }
        }
        #expect(edges == expectedEdges)
    }

    @Test("Every allowed transition succeeds and leads where the table says", arguments: expectedEdges.sorted { $0.description < $1.description })
    fileprivate func allowed(edge: Edge) throws {
        let kind = try #require(CaseActionKind(rawValue: edge.action))
        let result = apply(validAction(kind), to: CaseSnapshot(status: edge.from))
        #expect(try result.get().status == edge.to)
    }

    @Test("Every other action in every status is refused as not allowed, and nothing changes")
    func disallowed() {
        var refusals = 0
        for status in CaseStatus.allCases {
            for kind in CaseActionKind.allCases where !expectedEdges.contains(where: { $0.from == status && $0.action == kind.rawValue }) {
                let before = CaseSnapshot(status: status, provisionalMissing: [0], supplyBy: nextWeek, supplementDueBy: nextWeek)
                var kept = before
                switch apply(validAction(kind), to: before) {
                case .success(let next):
                    Issue.record("\(kind.rawValue) in \(status.rawValue) was allowed and gave \(next.status)")
                    kept = next
                case .failure(let error):
                    #expect(error == .notAllowed(action: kind.rawValue, status: status))
                    #expect(error.translationArguments == ["action": kind.rawValue, "status": status.rawValue])
                }
                #expect(kept == before)
                refusals += 1
            }
        }
        #expect(refusals == CaseStatus.allCases.count * CaseActionKind.allCases.count - expectedEdges.count)
    }

    @Test("Terminal statuses accept nothing from anyone")
    func terminalStatuses() {
        for status in CaseStatus.allCases where status.isTerminal {
            #expect(CaseLifecycle.allowedActions(for: status, role: .applicant).isEmpty)
            #expect(CaseLifecycle.allowedActions(for: status, role: .office).isEmpty)
        }
    }

    @Test("Buttons: each side sees only its own allowed actions, in a stable order")
    func allowedActions() {
        #expect(CaseLifecycle.allowedActions(for: .draft, role: .applicant) == ["submit", "withdraw"])
        #expect(CaseLifecycle.allowedActions(for: .draft, role: .office) == [])
        #expect(CaseLifecycle.allowedActions(for: .submitted, role: .office) == ["accept", "accept_provisionally", "not_accept"])
        #expect(CaseLifecycle.allowedActions(for: .submitted, role: .applicant) == ["withdraw"])
        #expect(CaseLifecycle.allowedActions(for: .resubmitted, role: .office) == ["start_review", "request_supplement", "approve", "refuse"])
        #expect(CaseLifecycle.allowedActions(for: .supplementRequested, role: .applicant) == ["withdraw", "resubmit"])
        #expect(CaseLifecycle.allowedActions(for: .refused, role: .applicant) == [])
        for status in CaseStatus.allCases {
            for role in [CaseRole.applicant, .office] {
                let expected = Set(expectedEdges.filter {
                    $0.from == status && applicantActions.contains($0.action) == (role == .applicant)
                }.map(\.action))
                #expect(Set(CaseLifecycle.allowedActions(for: status, role: role)) == expected, "\(status) \(role)")
            }
        }
    }

    @Test("An applicant cannot act as the office, nor the office as the applicant, in any status")
    func roles() {
        for status in CaseStatus.allCases {
            for kind in CaseActionKind.allCases {
                let wrong: CaseRole = kind.role == .office ? .applicant : .office
                let result = apply(validAction(kind), by: wrong, to: CaseSnapshot(status: status))
                #expect(result == .failure(.wrongRole(action: kind.rawValue)), "\(kind) in \(status)")
            }
        }
    }

    @Test("Reasons and notes must say something, and not too much")
    func reasons() {
        let submitted = CaseSnapshot(status: .submitted)
        let inReview = CaseSnapshot(status: .inReview)
        #expect(apply(.notAccept(reason: ""), to: submitted) == .failure(.missingReason))
        #expect(apply(.notAccept(reason: " \n\t\u{3000}"), to: submitted) == .failure(.missingReason))
        #expect(apply(.refuse(reason: "   "), to: inReview) == .failure(.missingReason))
        #expect(apply(.approve(note: "\n"), to: inReview) == .failure(.missingReason))

        let longest = String(repeating: "理", count: CaseLifecycle.maxTextLength)
        #expect(apply(.refuse(reason: "  \(longest)\n"), to: inReview).map(\.status) == .success(.refused))
        #expect(apply(.refuse(reason: longest + "由"), to: inReview) == .failure(.textTooLong))
        #expect(apply(.approve(note: longest + "x"), to: inReview) == .failure(.textTooLong))
        #expect(CaseTransitionError.textTooLong.translationArguments == ["count": "2000"])
        #expect(CaseLifecycle.normalizedText("\n  two words \t") == "two words")
    }

    @Test("A supplement request names what, and a date after now")
    func supplementRequests() {
        let inReview = CaseSnapshot(status: .inReview)
        #expect(apply(.requestSupplement(items: [], dueBy: nextWeek), to: inReview) == .failure(.noSupplementItems))
        #expect(apply(.requestSupplement(items: ["Birth certificate", "  "], dueBy: nextWeek), to: inReview)
            == .failure(.emptySupplementItem(position: 1)))
        #expect(CaseTransitionError.emptySupplementItem(position: 1).translationArguments == ["position": "2"])
        #expect(apply(.requestSupplement(items: [String(repeating: "a", count: 2001)], dueBy: nextWeek), to: inReview)
            == .failure(.textTooLong))
        #expect(apply(.requestSupplement(items: ["Photo"], dueBy: now), to: inReview) == .failure(.dateNotInFuture))
        #expect(apply(.requestSupplement(items: ["Photo"], dueBy: now.addingTimeInterval(-60)), to: inReview) == .failure(.dateNotInFuture))

        let requested = apply(.requestSupplement(items: ["Photo"], dueBy: nextWeek), to: inReview)
        #expect(requested == .success(CaseSnapshot(status: .supplementRequested, supplementDueBy: nextWeek)))
        let resubmitted = apply(.resubmit, to: CaseSnapshot(status: .supplementRequested, supplementDueBy: nextWeek))
        #expect(resubmitted == .success(CaseSnapshot(status: .resubmitted)))
    }

    @Test("Provisional acceptance: only materials the catalogue lets wait, at least one, by a later date")
    func provisionalAcceptance() {
        let submitted = CaseSnapshot(status: .submitted)
        #expect(apply(.acceptProvisionally(missing: [], supplyBy: nextWeek), to: submitted) == .failure(.nothingMissing))
        #expect(apply(.acceptProvisionally(missing: [0, 1], supplyBy: nextWeek), to: submitted) == .failure(.materialCannotWait(index: 1)))
        #expect(apply(.acceptProvisionally(missing: [3], supplyBy: nextWeek), to: submitted) == .failure(.unknownMaterial(index: 3)))
        #expect(apply(.acceptProvisionally(missing: [-1], supplyBy: nextWeek), to: submitted) == .failure(.unknownMaterial(index: -1)))
        #expect(apply(.acceptProvisionally(missing: [0], supplyBy: now), to: submitted) == .failure(.dateNotInFuture))
        #expect(CaseTransitionError.materialCannotWait(index: 1).translationArguments == ["material": "2"])
        let noFlags = CaseLifecycle.apply(.acceptProvisionally(missing: [0], supplyBy: nextWeek), by: .office, to: submitted,
                                          context: CaseContext(), now: now)
        #expect(noFlags == .failure(.unknownMaterial(index: 0)))

        let accepted = apply(.acceptProvisionally(missing: [2, 0, 2], supplyBy: nextWeek), to: submitted)
        let expected = CaseSnapshot(status: .accepted, provisionalMissing: [0, 2], supplyBy: nextWeek)
        #expect(accepted == .success(expected))

        // The missing materials arrive while the office works the case.
        let oneLeft = expected.supplying(material: 0)
        #expect(oneLeft == CaseSnapshot(status: .accepted, provisionalMissing: [2], supplyBy: nextWeek))
        #expect(oneLeft.supplying(material: 2) == CaseSnapshot(status: .accepted))

        // A plain acceptance promises nothing.
        #expect(apply(.accept, to: submitted) == .success(CaseSnapshot(status: .accepted)))
    }

    @Test("The role is checked before the status, the status before the input")
    func checkOrder() {
        #expect(apply(.approve(note: ""), by: .applicant, to: CaseSnapshot(status: .draft)) == .failure(.wrongRole(action: "approve")))
        #expect(apply(.approve(note: ""), to: CaseSnapshot(status: .draft)) == .failure(.notAllowed(action: "approve", status: .draft)))
        #expect(apply(.requestSupplement(items: [], dueBy: now), to: CaseSnapshot(status: .closed))
            == .failure(.notAllowed(action: "request_supplement", status: .closed)))
    }

    @Test("The legal clock starts at acceptance, pauses for a supplement and stops at a decision")
    func clockEffects() {
        #expect(CaseLifecycle.clockEffect(from: .submitted, to: .accepted) == .start)
        #expect(CaseLifecycle.clockEffect(from: .accepted, to: .inReview) == CaseClockEffect.none)
        #expect(CaseLifecycle.clockEffect(from: .inReview, to: .supplementRequested) == .pause)
        #expect(CaseLifecycle.clockEffect(from: .supplementRequested, to: .resubmitted) == .resume)
        #expect(CaseLifecycle.clockEffect(from: .resubmitted, to: .approved) == .stop)
        #expect(CaseLifecycle.clockEffect(from: .inReview, to: .withdrawn) == .stop)
        #expect(CaseLifecycle.clockEffect(from: .supplementRequested, to: .withdrawn) == .stop)
        #expect(CaseLifecycle.clockEffect(from: .draft, to: .withdrawn) == CaseClockEffect.none)
        #expect(CaseLifecycle.clockEffect(from: .supplementRequested, to: .resubmitted) == .resume)
        #expect(CaseLifecycle.clockEffect(from: .submitted, to: .notAccepted) == CaseClockEffect.none)
    }

    @Test("Errors carry distinct translation keys, never text")
    func translationKeys() {
        let errors: [CaseTransitionError] = [
            .notAllowed(action: "submit", status: .closed), .wrongRole(action: "accept"), .missingReason, .textTooLong,
            .noSupplementItems, .emptySupplementItem(position: 0), .dateNotInFuture, .materialCannotWait(index: 0),
            .unknownMaterial(index: 9), .nothingMissing,
        ]
        let keys = errors.map(\.translationKey)
        #expect(Set(keys).count == errors.count)
        for key in keys {
            #expect(key.hasPrefix("case.error."))
            #expect(key.allSatisfy { $0.isLowercase || $0 == "." || $0 == "_" })
        }
        #expect(CaseTransitionError.notAllowed(action: "submit", status: .closed).translationKey == "case.error.not_allowed")
    }

    @Test("Random action sequences never break the lifecycle's promises")
    func randomSequences() {
        var failures: [String] = []
        var seenEdges = Set<Edge>()
        var seenRefusals = Set<String>()
        let kinds = CaseActionKind.allCases
        for seed in UInt64(1)...4000 {
            var random = SplitMix64(seed: seed)
            var snapshot = CaseSnapshot.draft
            var clock = LegalClockModel()
            var everAccepted = false
            var everDecided = false
            var moment = now
            for step in 0..<40 {
                func fail(_ message: String) { failures.append("seed \(seed) step \(step): \(message)") }
                moment = moment.addingTimeInterval(Double(random.int(3 * 86_400)))
                let kind = kinds[random.int(kinds.count)]
                // Mostly the right side with good input, sometimes not.
                let role: CaseRole = random.int(8) == 0 ? (kind.role == .office ? .applicant : .office) : kind.role
                let (action, inputIsValid) = randomAction(kind, at: moment, using: &random)
                let edge = expectedEdges.first { $0.from == snapshot.status && $0.action == kind.rawValue }
                let before = snapshot

                let result = CaseLifecycle.apply(action, by: role, to: snapshot, context: context, now: moment)
                switch result {
                case .success(let next):
                    guard role == kind.role else { fail("\(kind) by \(role) was allowed"); break }
                    guard let edge, edge.to == next.status else { fail("\(before.status) --\(kind)--> \(next.status) is not an edge"); break }
                    if !inputIsValid { fail("\(action) with bad input was allowed") }
                    if before.status.isTerminal { fail("terminal \(before.status) accepted \(kind)") }
                    seenEdges.insert(edge)
                    clock.apply(CaseLifecycle.clockEffect(from: before.status, to: next.status))
                    snapshot = next
                case .failure(let error):
                    seenRefusals.insert(error.translationKey)
                    if role != kind.role {
                        if error != .wrongRole(action: kind.rawValue) { fail("expected wrongRole, got \(error)") }
                    } else if edge == nil {
                        if error != .notAllowed(action: kind.rawValue, status: before.status) { fail("expected notAllowed, got \(error)") }
                    } else if inputIsValid {
                        fail("valid \(action) in \(before.status) refused: \(error)")
                    }
                    if snapshot != before { fail("a refused action changed the snapshot") }
                }

                if snapshot.status == .accepted || snapshot.status.clockRuns { everAccepted = true }
                if snapshot.status == .withdrawn && everDecided { fail("withdrawn after a decision") }
                if snapshot.status.isDecided { everDecided = true }
                if clock.running != snapshot.status.clockRuns { fail("clock running=\(clock.running) in \(snapshot.status)") }
                if clock.running && (!everAccepted || everDecided) { fail("clock runs before acceptance or after a decision") }
                if clock.paused != (snapshot.status == .supplementRequested) { fail("clock paused=\(clock.paused) in \(snapshot.status)") }
                if (snapshot.supplementDueBy != nil) != (snapshot.status == .supplementRequested) {
                    fail("supplement due date \(String(describing: snapshot.supplementDueBy)) in \(snapshot.status)")
                }
                if !snapshot.provisionalMissing.isEmpty && snapshot.supplyBy == nil { fail("missing materials without a date") }
                if !snapshot.provisionalMissing.allSatisfy({ context.materialsCanSupplyLater.indices.contains($0) && context.materialsCanSupplyLater[$0] }) {
                    fail("a material that cannot wait is missing")
                }
                if snapshot.status.isTerminal {
                    for other in kinds {
                        if CaseLifecycle.apply(validAction(other), by: other.role, to: snapshot, context: context, now: moment)
                            != .failure(.notAllowed(action: other.rawValue, status: snapshot.status)) {
                            fail("terminal \(snapshot.status) did not refuse \(other)")
                        }
                    }
                    break
                }
            }
            if failures.count > 20 { break }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
        // The walk is only worth something if it went everywhere.
        #expect(seenEdges == expectedEdges, "never took \(expectedEdges.subtracting(seenEdges))")
        #expect(seenRefusals.count == 10, "\(seenRefusals)")
    }

    @Test("Case numbers read ZE-year-sequence with at least six digits")
    func caseNumbers() throws {
        #expect(CaseNumber.format(year: 2026, sequence: 123) == "ZE-2026-000123")
        #expect(CaseNumber.format(year: 2027, sequence: 1) == "ZE-2027-000001")
        #expect(CaseNumber.format(year: 2026, sequence: 999_999) == "ZE-2026-999999")
        #expect(CaseNumber.format(year: 2026, sequence: 1_234_567) == "ZE-2026-1234567")

        let parsed = try #require(CaseNumber.parse("ZE-2026-000123"))
        #expect(parsed.year == 2026 && parsed.sequence == 123)
        let typed = try #require(CaseNumber.parse("  ze-2026-1234567 \n"))
        #expect(typed.year == 2026 && typed.sequence == 1_234_567)
        for bad in ["", "ZE-2026-12345", "ZE-26-000123", "ZE-2026-0123456", "XE-2026-000123", "ZE-2026-00012a",
                    "ZE-2026-000000", "ZE--2026-000123", "ZE-2026-000123-1", "ZE 2026 000123", "ZE-２０２６-000123",
                    "ZE-2026-+00123", "ZE-2026-99999999999999999999"] {
            #expect(CaseNumber.parse(bad) == nil, "\(bad)")
        }

        var random = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let year = 2000 + random.int(100)
            let sequence = 1 + random.int(random.int(2) == 0 ? 999_999 : 50_000_000)
            let text = CaseNumber.format(year: year, sequence: sequence)
            let back = try #require(CaseNumber.parse(text))
            #expect(back.year == year && back.sequence == sequence)
        }
    }
}

/// A stand-in for the legal clock driven only by the lifecycle's clock effects.
private struct LegalClockModel {
    var started = false
    var running = false
    var paused = false
    var stopped = false

    mutating func apply(_ effect: CaseClockEffect) {
        switch effect {
        case .none: break
        case .start:
            precondition(!started && !stopped, "started twice")
            started = true
            running = true
        case .pause:
            precondition(running, "paused while not running")
            running = false
            paused = true
        case .resume:
            precondition(paused, "resumed while not paused")
            running = true
            paused = false
        case .stop:
            precondition(running || paused, "stopped while not counting")
            running = false
            paused = false
            stopped = true
        }
    }
}

/// An action of `kind` with random details: valid about three times in four.
private func randomAction(_ kind: CaseActionKind, at moment: Date, using random: inout SplitMix64) -> (CaseAction, Bool) {
    let good = random.int(4) != 0
    let future = moment.addingTimeInterval(Double(1 + random.int(30 * 86_400)))
    let past = moment.addingTimeInterval(-Double(random.int(30 * 86_400)))
    let badText = ["", "   ", "\n\t", String(repeating: "x", count: 2001)][random.int(4)]
    switch kind {
    case .submit, .withdraw, .accept, .startReview, .resubmit, .issueResult, .readyForCollection, .close:
        return (validAction(kind), true)
    case .recordProduction:
        return good ? (.recordProduction(note: "Made"), true) : (.recordProduction(note: badText), false)
    case .recordCollection:
        return good ? (.recordCollection(collector: "The applicant"), true) : (.recordCollection(collector: badText), false)
    case .acceptProvisionally:
        if good { return (.acceptProvisionally(missing: random.int(2) == 0 ? [0] : [0, 2], supplyBy: future), true) }
        let missing = [[], [1], [0, 1], [7]][random.int(4)]
        return (.acceptProvisionally(missing: missing, supplyBy: missing == [7] ? past : future), false)
    case .notAccept:
        return good ? (.notAccept(reason: "Wrong office"), true) : (.notAccept(reason: badText), false)
    case .approve:
        return good ? (.approve(note: "Fine"), true) : (.approve(note: badText), false)
    case .refuse:
        return good ? (.refuse(reason: "Not entitled"), true) : (.refuse(reason: badText), false)
    case .requestSupplement:
        if good { return (.requestSupplement(items: ["Photo", "Proof of address"], dueBy: future), true) }
        switch random.int(3) {
        case 0: return (.requestSupplement(items: [], dueBy: future), false)
        case 1: return (.requestSupplement(items: ["Photo", badText], dueBy: future), false)
        default: return (.requestSupplement(items: ["Photo"], dueBy: past), false)
        }
    }
}
