import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// One request across several offices (一件事): started from one form as one draft case per part,
/// each document uploaded once onto every part that needs it, the ready parts submitted together.
/// From then on each part is an ordinary case in its office's queue; a refusal of one part stops
/// the others when the bundle's rule says so (`stopOthers`, inside the refusal's transaction).
struct BundleService {
    let request: Request

    /// One upload on the bundle's page: a material (by its Chinese name, which the catalogue keeps
    /// the same across matters) and every part and material index it goes to.
    struct Slot: Sendable {
        let key: String
        let material: Matter.Material
        let targets: [(part: Int, material: Int)]
    }

    /// The parts of `bundle`, in order, with their matter and office.
    func parts(of bundle: CaseBundle) async throws -> [Case] {
        try await Case.query(on: request.db).filter(\.$bundle.$id == bundle.requireID()).withCatalogueMatter(request.catalogue).with(\.$department)
            .with(\.$mandate).sort(\.$bundlePart).all()
    }

    /// The materials the citizen uploads on the bundle's page: those that apply to a part, are not
    /// the power of attorney itself, and do not come from an earlier part's result. Same name, one slot.
    static func slots(_ definition: BundleCatalogue.Definition, parts: [Case]) -> [Slot] {
        var order: [String] = []
        var found: [String: (Matter.Material, [(Int, Int)])] = [:]
        for (part, record) in parts.enumerated() {
            let plan = record.materialPlan
            let fromEarlier = definition.parts.indices.contains(part) ? definition.parts[part].fromParts : [:]
            for (index, material) in record.matter.materials.enumerated()
            where plan.applies(index) && !plan.isProvidedByMandate(index) && fromEarlier[material.nameZh] == nil {
                if found[material.nameZh] == nil { order.append(material.nameZh) }
                found[material.nameZh, default: (material, [])].1.append((part, index))
            }
        }
        return order.map { Slot(key: $0, material: found[$0]!.0, targets: found[$0]!.1) }
    }

    /// Where one part stands, as the bundle's rules see it.
    static func partState(_ status: CaseStatus) -> BundlePartState {
        switch status {
        case .draft: .drafting
        case .resultIssued, .closed: .issued
        case .refused, .notAccepted: .refused
        case .withdrawn: .withdrawn
        default: .underway
        }
    }

    // MARK: Starting

    /// The parts done through a relative at home, under the power of attorney named on the form.
    static func throughRelative(_ matters: [Matter]) -> [Int] {
        matters.indices.filter { ApplicationStart(matters[$0].channels) == .throughRelative }
    }

    /// The citizen's own powers of attorney that may be named on every part done through a relative.
    func usableMandates(_ matters: [Matter]) async throws -> [Mandate] {
        var usable: [Mandate]?
        for index in Self.throughRelative(matters) {
            let own = try await request.usableMandates(for: matters[index]).own
            usable = usable.map { kept in kept.filter { mandate in own.contains { $0.id == mandate.id } } } ?? own
        }
        return usable ?? []
    }

    /// Why this citizen may not start this bundle yet (the first part that refuses them), or nil.
    /// The parts done through a relative are judged as applied for under a power of attorney; the
    /// form asks for one.
    func startRefusal(_ matters: [Matter]) throws -> (error: AppError, nextStep: String?, nextStepKey: String?)? {
        let account = try request.requireAccount()
        let proxy = Set(Self.throughRelative(matters))
        return matters.indices.lazy.compactMap { request.cases.applyRefusal(for: account, to: matters[$0], throughMandate: proxy.contains($0)) }.first
    }

    /// Makes the request and one draft per part in one transaction: all of them, or none.
    /// `mandateID`: the power of attorney the parts done through a relative are handled under.
    func start(_ definition: BundleCatalogue.Definition, matters: [Matter], details: String,
               answers: Set<MaterialCondition>, mandateID: UUID?) async throws -> CaseBundle {
        let account = try request.requireAccount()
        let applicantID = try account.requireID()
        let now = request.now, year = request.cases.numberYear
        let proxy = Set(Self.throughRelative(matters))
        let drafts = try matters.enumerated().map { index, matter in
            let asked = Set(MaterialPlan.questions(matter.materials.map(\.requirement)))
            return CaseWorkflow.Draft(matterID: try matter.requireID(), departmentID: matter.$department.id, applicantID: applicantID,
                                      creatorID: applicantID, limitDays: matter.timeLimitDays, details: details,
                                      mandateID: proxy.contains(index) ? mandateID : nil,
                                      conditions: MaterialCondition.allCases.filter(answers.intersection(asked).contains))
        }
        let code = definition.code
        let outbox = request.application.outbox, config = request.dependencies.config
        return try await request.audited { db, audit in
            let bundle = CaseBundle()
            bundle.code = code
            bundle.$applicant.id = applicantID
            bundle.details = details
            bundle.createdAt = now
            try await bundle.create(on: db)
            let bundleID = try bundle.requireID()
            var numbers: [String] = []
            for (index, var draft) in drafts.enumerated() {
                draft.bundleID = bundleID
                draft.bundlePart = index
                let record = try await CaseWorkflow.insertDraft(draft, year: year, now: now, on: db, audit: audit)
                numbers.append(record.number)
                if draft.mandateID != nil {
                    // The relative hears of each part they are to handle.
                    record.$applicant.value = account
                    try await CaseNotifier.notifyProxy(of: record, key: "notification.case.named", on: db, outbox: outbox, config: config, now: now)
                }
            }
            try await audit.record("bundle.started", "bundle", bundleID.uuidString.lowercased(),
                                   ["code": code, "cases": numbers.joined(separator: " ")])
            return bundle
        }
    }

    // MARK: One upload for every part

    /// Streams the file once, then gives every part that takes this material now its own stored
    /// copy (documents are stored one per case), all recorded in one transaction.
    func upload(into parts: [Case], slot: Slot) async throws -> Int {
        let targets = slot.targets.filter { CaseWorkflow.applicantMayUpload(.material, material: $0.material, to: parts[$0.part]) }
        guard !targets.isEmpty else { throw AppError(status: .conflict, key: "upload.not_now") }
        let config = request.dependencies.config
        // Every part keeps its own quota; the file must fit the fullest.
        var fullest: (left: Int, full: AppError)?
        for target in targets {
            let part = try await DocumentUpload.quotaLeft(used: DocumentUpload.usedBytes(parts[target.part].requireID(), on: request.db), config: config)
            if fullest == nil || part.left < fullest!.left { fullest = part }
        }
        let quota = fullest!
        let stored = try await DocumentUpload.storeBody(request, quotaLeft: quota.left, quotaFull: quota.full)
        let store = request.dependencies.documents
        var blobs = [DocumentStore.Blob(storageName: stored.storageName, size: stored.size, sha256: stored.sha256, wrappedKey: stored.wrappedKey)]
        let name = DocumentUpload.fileName(request), kind = stored.kind
        let uploaderID = try request.requireAccount().requireID(), now = request.now
        let destinations = try targets.map { (caseID: try parts[$0.part].requireID(), material: $0.material) }
        do {
            if destinations.count > 1 {
                // Read back through the hash check: every copy holds exactly the bytes received.
                let bytes = Array(try await store.read(storageName: stored.storageName, wrappedKey: stored.wrappedKey, expectedSHA256: stored.sha256))
                for _ in 1..<destinations.count { blobs.append(try await store.storeBytes(bytes)) }
            }
            let copies = blobs
            try await request.audited { db, audit in
                for (destination, blob) in zip(destinations, copies) {
                    guard let current = try await Case.query(on: db).filter(\.$id == destination.caseID).withCatalogueMatter(request.catalogue).first(),
                          CaseWorkflow.applicantMayUpload(.material, material: destination.material, to: current) else {
                        throw AppError(status: .conflict, key: "upload.not_now")
                    }
                    guard try await DocumentUpload.usedBytes(destination.caseID, on: db) + blob.size <= Int64(config.caseQuota) else {
                        throw quota.full
                    }
                    let document = CaseDocument(caseID: destination.caseID, by: uploaderID, purpose: .material,
                                                materialIndex: destination.material, name: name, kind: kind, blob: blob, now: now)
                    try await DocumentUpload.attach(document, to: current, on: db)
                    try await audit.record("document.uploaded", "document", document.id!.uuidString.lowercased(),
                                           ["case": destination.caseID.uuidString.lowercased(), "sha256": blob.sha256, "kind": kind.rawValue])
                }
            }
        } catch {
            // Not acknowledged, so not kept.
            for blob in blobs { store.remove(storageName: blob.storageName) }
            throw error
        }
        return destinations.count
    }

    // MARK: Results of earlier parts

    /// For a part of a bundled request: material index → the earlier part whose issued result it
    /// is. Empty for any other case.
    func materialsFromEarlierParts(of record: Case) async throws -> [Int: Int] {
        guard let bundleID = record.$bundle.id, let bundle = try await CaseBundle.find(bundleID, on: request.db),
              let definition = request.dependencies.bundles.definition(bundle.code) else { return [:] }
        return Self.materialsFromEarlierParts(of: record, in: definition)
    }

    /// The same, with the bundle's definition at hand.
    static func materialsFromEarlierParts(of record: Case, in definition: BundleCatalogue.Definition) -> [Int: Int] {
        guard let part = record.bundlePart, definition.parts.indices.contains(part) else { return [:] }
        var result: [Int: Int] = [:]
        for (name, from) in definition.parts[part].fromParts {
            if let index = record.matter.materials.firstIndex(where: { $0.nameZh == name }) { result[index] = from }
        }
        return result
    }

    /// A material an earlier part issues is given only as that result, from the wallet: a file of
    /// one's own in its place would let an office work the part on what no office checked.
    func uploadRefusal(_ record: Case, material: Int?) async throws -> AppError? {
        guard let material, let from = try await materialsFromEarlierParts(of: record)[material] else { return nil }
        return AppError(status: .conflict, key: "bundle.error.from_earlier_part",
                        arguments: ["material": record.matter.materials[material].name(request.locale), "number": String(from + 1)])
    }

    /// Before a part is submitted: every material it takes from an earlier part is that part's
    /// issued result, copied from the wallet (so the earlier part has been decided and issued).
    func requireEarlierResults(_ record: Case) async throws {
        let fromEarlier = try await materialsFromEarlierParts(of: record).filter { record.materialPlan.applies($0.key) }
        guard !fromEarlier.isEmpty, let bundleID = record.$bundle.id else { return }
        let sources = try await Case.query(on: request.db).filter(\.$bundle.$id == bundleID).filter(\.$bundlePart ~~ Array(Set(fromEarlier.values))).all()
        let results = try await CaseDocument.query(on: request.db).filter(\.$caseRecord.$id ~~ sources.compactMap(\.id))
            .filter(\.$purpose == .result).all()
        let given = try await CaseDocument.query(on: request.db).filter(\.$caseRecord.$id == record.requireID())
            .filter(\.$purpose == .material).filter(\.$materialIndex ~~ Array(fromEarlier.keys)).all()
        for (material, from) in fromEarlier.sorted(by: { $0.key < $1.key }) {
            let issued = Set(results.filter { result in sources.contains { $0.id == result.$caseRecord.id && $0.bundlePart == from } }.compactMap(\.id))
            guard given.contains(where: { $0.materialIndex == material && $0.issuedFrom.map(issued.contains) == true }) else {
                throw AppError(status: .unprocessableEntity, key: "bundle.error.needs_earlier_result",
                               arguments: ["material": record.matter.materials[material].name(request.locale), "number": String(from + 1)])
            }
        }
    }

    // MARK: Submitting

    /// Submits every draft part whose materials are complete and whose power of attorney is in
    /// force, each through the ordinary submission (its own transaction, its own office's queue).
    /// Answers how many went; the request's page says what each part left still needs.
    func submitReady(_ parts: [Case]) async throws -> Int {
        var submitted = 0
        for part in parts where part.status == .draft {
            do {
                try await request.cases.performApplicantAction("submit", on: part)
                submitted += 1
            } catch is AppError {
                // Not ready yet: shown on the page, part by part.
            }
        }
        return submitted
    }

    // MARK: A refused part

    /// Called inside the transaction that refused `record` (or did not accept it): under the
    /// bundle's `stop_others` rule every part not yet decided is withdrawn, with a timeline line,
    /// so the citizen is not left waiting on offices that cannot finish.
    static func stopOthers(after record: Case, reason: String, request: Request, on db: any Database, audit: AuditTrail) async throws {
        guard let bundleID = record.$bundle.id, let refusedPart = record.bundlePart,
              let bundle = try await CaseBundle.find(bundleID, on: db),
              let definition = request.dependencies.bundles.definition(bundle.code) else { return }
        let parts = try await Case.query(on: db).filter(\.$bundle.$id == bundleID).withCatalogueMatter(request.catalogue).with(\.$department).with(\.$applicant)
            .sort(\.$bundlePart).all()
        let outbox = request.application.outbox, config = request.dependencies.config
        let states = parts.map { $0.id == record.id ? BundlePartState.refused : partState($0.status) }
        let now = request.now
        for index in BundleRules.partsToStop(after: refusedPart, states, rule: definition.rule) {
            let part = parts[index]
            let context = CaseContext(materialsCanSupplyLater: part.materialPlan.canSupplyLater)
            // A part that may no longer be withdrawn (already approved) is left to finish.
            guard case .success(let next) = CaseLifecycle.apply(.withdraw, by: .applicant, to: part.snapshot, context: context, now: now) else { continue }
            part.snapshot = next
            part.updatedAt = now
            part.dueOn = nil
            // The clock stops with the withdrawal; a pause for a supplement ends with it.
            try await CasePause.query(on: db).filter(\.$caseRecord.$id == part.requireID()).filter(\.$toOn == nil)
                .set(\.$toOn, to: CivilDay(now, in: part.department.zone).description).update()
            try await part.update(on: db)
            // The line says only that another part was refused: that office's reason is for the
            // citizen (on their request's page and in their notice), not for this part's office.
            try await CaseEvent(caseID: part.requireID(), at: now, actorID: nil, kind: .action, name: "bundle_stopped",
                                statusAfter: next.status, note: "").create(on: db)
            try await audit.record("case.withdraw", "case", part.requireID().uuidString.lowercased(),
                                   ["number": part.number, "status": next.status.rawValue, "bundle": bundleID.uuidString.lowercased()])
            // Told like any change an office makes: the citizen hears which part was refused and
            // why; their relative, who may hold no power for that part, only that this one ended.
            try await CaseNotifier.notifyApplicant(of: part, key: "notification.case.bundle_stopped", extra: "\(record.number) · \(reason)",
                                                   on: db, outbox: outbox, config: config, now: now)
            try await CaseNotifier.notifyProxy(of: part, key: "notification.case.bundle_stopped_relative", on: db, outbox: outbox, config: config, now: now)
        }
    }
}

extension Request {
    var bundles: BundleService { BundleService(request: self) }
}
