import Fluent
import Vapor
import ZeroErrandCore

/// Builds the citizen's page of a bundled request: where the whole stands (`BundleRules`), each
/// part with its office, status, clock and any refusal, the shared uploads, and one timeline of
/// every part in the citizen's zone. A fixed number of queries, whatever the parts.
struct BundleRequestPresenter {
    let request: Request
    let bundle: CaseBundle
    let definition: BundleCatalogue.Definition
    let parts: [Case]

    /// `submitted`: how many parts the last "submit" sent, when the page follows one.
    func page(submitted: Int? = nil) async throws -> BundleRequestPage {
        let ids = parts.compactMap(\.id)
        let locale = request.locale
        async let eventsQuery = CaseEvent.query(on: request.db).filter(\.$caseRecord.$id ~~ ids).with(\.$actor).sort(\.$occurredAt).all()
        async let documentsQuery = CaseDocument.query(on: request.db).filter(\.$caseRecord.$id ~~ ids).sort(\.$createdAt).all()
        let (events, documents) = try await (eventsQuery, documentsQuery)
        let states = parts.map { BundleService.partState($0.status) }
        let outcome = BundleRules.outcome(states, rule: definition.rule)
        let partName = { (index: Int) in
            request.t("bundle.part_line", ["number": String(index + 1), "matter": parts[index].matter.name(locale)])
        }
        let partReference = { (index: Int) in
            request.t("bundle.part_ref", ["number": String(index + 1), "matter": parts[index].matter.name(locale)])
        }
        let lines = parts.enumerated().map { index, part in
            let refusal = states[index] == .refused
                ? events.last { $0.$caseRecord.id == part.id && ["refuse", "not_accept"].contains($0.name) }?.note : nil
            return BundleRequestPage.PartLine(
                number: index + 1, matter: part.matter.name(locale), office: part.department.name(locale), caseNumber: part.number,
                path: SiteURL.caseDetail(id: part.id!.uuidString).path, status: request.t("case_status.\(part.status.rawValue)"),
                statusCode: part.status.rawValue,
                due: part.status.clockApplies ? part.dueOn.map { request.t("bundle.due", ["day": $0]) } : nil,
                refusal: refusal.map { request.t("bundle.refusal_line", ["status": request.t("case_status.\(part.status.rawValue)"),
                                                                         "reason": $0.isEmpty ? request.t("bundle.refused_no_reason") : $0]) },
                waiting: waitingLines(index, part, states: states, documents: documents))
        }
        let slots = BundleService.slots(definition, parts: parts)
        let slotLines = slots.enumerated().map { number, slot in
            let files = slot.targets.flatMap { target in
                documents.filter { $0.$caseRecord.id == parts[target.part].id && $0.purpose == .material && $0.materialIndex == target.material }
            }
            // While a file can still be given, the parts it would go to; afterwards, all it served.
            let open = slot.targets.filter { CaseWorkflow.applicantMayUpload(.material, material: $0.material, to: parts[$0.part]) }
            let served = open.isEmpty ? slot.targets : open
            var seen = Set<String>()
            return BundleRequestPage.SlotLine(
                id: "slot-\(number)", name: slot.material.name(locale), description: slot.material.description(locale),
                forParts: request.t(served.count == 1 ? "bundle.for_part" : "bundle.for_parts",
                                    ["parts": served.map { String($0.part + 1) }.joined(separator: locale == .zhHans ? "、" : ", ")]),
                uploadPath: open.isEmpty ? nil : SiteURL.bundleRequestMaterial(id: bundle.id!.uuidString, slot: String(number)).path,
                // The same file went to every part: each name once.
                files: files.map(\.originalName).filter { seen.insert($0).inserted })
        }
        let zone = request.viewerTimeZone
        let byID = Dictionary(uniqueKeysWithValues: documents.map { ($0.id!, $0) })
        let presenters = Dictionary(uniqueKeysWithValues: parts.map { ($0.id!, CasePresenter(request: request, record: $0, role: .applicant)) })
        let partOf = Dictionary(uniqueKeysWithValues: parts.enumerated().map { ($1.id!, $0) })
        // Lines at the same instant (the drafts made together) in the parts' order, else as written.
        let ordered = events.enumerated().sorted {
            ($0.element.occurredAt, partOf[$0.element.$caseRecord.id] ?? 0, $0.offset) < ($1.element.occurredAt, partOf[$1.element.$caseRecord.id] ?? 0, $1.offset)
        }.map(\.element)
        let timeline = ordered.map { event in
            let part = partOf[event.$caseRecord.id] ?? 0
            let document = event.$document.id.flatMap { byID[$0] }
            return TimelineLine(time: request.showTime(event.occurredAt, in: zone),
                                actor: partName(part) + " · " + (presenters[event.$caseRecord.id]?.actorName(event.actor) ?? ""),
                                text: request.t("timeline.\(event.name)", ["status": event.statusAfter.map { request.t("case_status.\($0.rawValue)") } ?? ""]),
                                note: event.note,
                                documentPath: document.map { SiteURL.caseDocument(id: $0.$caseRecord.id.uuidString, document: $0.id!.uuidString).path },
                                documentName: document?.originalName)
        }
        return BundleRequestPage(
            name: definition.name(locale), bundlePath: SiteURL.bundle(code: definition.code).path,
            outcome: outcomeText(outcome, partName: partReference), outcomeCode: outcomeCode(outcome), details: bundle.details,
            parts: lines, slots: slotLines,
            submitPath: parts.contains { $0.status == .draft } ? SiteURL.bundleRequestSubmit(id: bundle.id!.uuidString).path : nil,
            uploadLimitMB: request.dependencies.config.uploadLimit / 1024 / 1024, timeline: timeline,
            zoneNote: request.t("case.times_in_zone", ["zone": zone.identifier]),
            notice: submitted.map { request.t($0 > 0 ? "bundle.submitted" : "bundle.none_submitted", ["count": String($0)]) })
    }

    /// What a part still waits for: the materials an earlier part's result provides (and whether
    /// that result is in the wallet yet, to be picked on the part's own page with consent), the
    /// materials still to upload, the relative's acceptance, the video identity check.
    private func waitingLines(_ index: Int, _ part: Case, states: [BundlePartState], documents: [CaseDocument]) -> [String] {
        var lines: [String] = []
        let locale = request.locale
        if [.draft, .supplementRequested].contains(part.status), definition.parts.indices.contains(index) {
            let given = Set(documents.filter { $0.$caseRecord.id == part.id && $0.purpose == .material }.compactMap(\.materialIndex))
            let fromEarlier = definition.parts[index].fromParts
            for (name, from) in fromEarlier.sorted(by: { $0.value < $1.value }) {
                guard let material = part.matter.materials.firstIndex(where: { $0.nameZh == name }), part.materialPlan.applies(material),
                      !given.contains(material) else { continue }
                let arguments = ["material": part.matter.materials[material].name(locale), "number": String(from + 1)]
                lines.append(request.t(states[from] == .issued ? "bundle.take_from_wallet" : "bundle.waits_for_material", arguments))
            }
            if part.status == .draft {
                let missing = part.materialPlan.missingForSubmission(supplied: given)
                    .filter { fromEarlier[part.matter.materials[$0].nameZh] == nil }
                    .map { part.matter.materials[$0].name(locale) }
                if !missing.isEmpty {
                    lines.append(request.t("bundle.still_needed", ["materials": missing.joined(separator: locale == .zhHans ? "、" : "; ")]))
                }
                if let mandate = part.mandate, MandateRules.validity(mandate.facts, today: CivilDay(request.now, in: Mandate.zone)) != nil {
                    lines.append(request.t("bundle.mandate_not_in_force", ["name": mandate.proxyName]))
                }
            }
        }
        let needsVideo = part.matter.identityLevel == .videoVerified && part.matter.channels.contains(.video)
            && request.currentAccount?.identityLevel(for: part.matter, today: CivilDay(request.now, in: Mandate.zone)) != .videoVerified
        if needsVideo, [.submitted, .accepted, .inReview, .resubmitted].contains(part.status) {
            lines.append(request.t("bundle.needs_video"))
        }
        return lines
    }

    private func outcomeCode(_ outcome: BundleOutcome) -> String {
        switch outcome {
        case .drafting: "drafting"
        case .underway: "underway"
        case .done: "done"
        case .stopped: "stopped"
        case .finishedWithRefusals: "finished_with_refusals"
        case .withdrawn: "withdrawn"
        case .partlyWithdrawn: "partly_withdrawn"
        }
    }

    private func outcomeText(_ outcome: BundleOutcome, partName: (Int) -> String) -> String {
        switch outcome {
        case .stopped(let refused), .finishedWithRefusals(let refused):
            request.t("bundle.outcome.\(outcomeCode(outcome))", ["parts": refused.map(partName).joined(separator: request.locale == .zhHans ? "；" : "; ")])
        default:
            request.t("bundle.outcome.\(outcomeCode(outcome))")
        }
    }
}
