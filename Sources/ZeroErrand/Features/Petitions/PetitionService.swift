import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Receiving petitions and taking every step on them. Each step re-reads the petition inside its
/// audited transaction and asks `PetitionRules`, so two tabs or two officials cannot both take a
/// step the rules allow only once; the history line, the audit event and the mail to the
/// petitioner are written in that same transaction.
struct PetitionService {
    let request: Request

    /// The letters-and-visits office that registers every petition sent through the platform.
    static let registrarCode = "wz-xfj"
    /// Reviews opinions of offices with no parent office on the platform.
    static let governmentCode = "wz-gov"
    /// Petition days are counted where the offices are.
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// Evidence files a petition may carry when it is submitted.
    static let evidenceLimit = 5

    var today: CivilDay { CivilDay(request.now, in: Self.zone) }
    var limits: PetitionTimeLimits { request.dependencies.petitionLimits }
    var calendar: WorkingDayCalendar { request.dependencies.workingCalendar }

    /// What the petitioner wrote, already checked (`PetitionForm`).
    struct Submission: Sendable {
        var kind: PetitionKind
        var title: String
        var facts: String
        var request: String
        var mayContact: Bool
        var concerned: UUID?
        var evidence: [File]
    }

    struct Received: Sendable {
        let petition: Petition
        /// Shown once to an anonymous reporter; only its digest is kept.
        let receiptCode: String?
    }

    // MARK: Receiving

    /// Registers the petition with the letters-and-visits office, its evidence in the document
    /// store. A named petition on the same facts as one of the petitioner's petitions closed after
    /// re-review is recognised and answered with that result instead of being handled again.
    func submit(_ submission: Submission, petitioner: Account?, nonce: String? = nil) async throws -> Received {
        guard let registrar = try await Department.query(on: request.db).filter(\.$code == Self.registrarCode).first() else {
            throw AppError.notFound
        }
        let registrarID = try registrar.requireID()
        let petitionerID = try petitioner?.requireID()
        var earlier: Petition?
        if let petitionerID {
            earlier = try await Petition.query(on: request.db).filter(\.$petitioner.$id == petitionerID).filter(\.$stage == .closed)
                .sort(\.$createdAt, .descending).all().first { SameFacts.isSame($0.facts, submission.facts) }
        }
        let receiptCode = petitioner == nil ? ReceiptCode.make(from: request.dependencies.random.bytes(10)) : nil
        let stored = try await storeEvidence(submission.evidence)
        let now = request.now, today = today, limits = limits, calendar = calendar
        let outbox = request.application.outbox
        let earlierFacts = try earlier.map { (id: try $0.requireID(), number: $0.number) }
        do {
            let petition = try await request.audited { db, audit in
                let year = today.year
                let last = try await Petition.query(on: db).filter(\.$year == year).max(\.$sequence) ?? 0
                let petition = Petition()
                petition.year = year
                petition.sequence = last + 1
                petition.number = String(format: "XF-%04d-%06d", year, last + 1)
                petition.kind = submission.kind
                petition.$petitioner.id = petitionerID
                petition.receiptDigest = receiptCode.flatMap(ReceiptCode.digest)
                petition.$concerned.id = submission.concerned
                petition.title = submission.title
                petition.facts = submission.facts
                petition.request = submission.request
                petition.mayContact = petitionerID != nil && submission.mayContact
                petition.$registrar.id = registrarID
                petition.$holder.id = registrarID
                petition.heldSince = today.description
                petition.stage = earlierFacts == nil ? .received : .repeated
                petition.receivedOn = today.description
                petition.extensionDays = 0
                petition.$repeatOf.id = earlierFacts?.id
                petition.dueOn = PetitionClock.current(petition.state, limits: limits, calendar: calendar).map(\.dueDay.description)
                petition.createdAt = now
                petition.updatedAt = now
                petition.formDigest = nonce.flatMap { $0.isEmpty ? nil : Self.formDigest($0) }
                try await petition.create(on: db)
                let petitionID = try petition.requireID()
                try await PetitionEvent(petitionID: petitionID, at: now, kind: .received, department: registrarID, actor: nil, level: 0)
                    .create(on: db)
                for (file, blob) in stored {
                    let document = PetitionDocument()
                    document.$petition.id = petitionID
                    document.purpose = .evidence
                    document.level = 0
                    document.describe(blob, name: DocumentUpload.cleanName(file.filename))
                    document.createdAt = now
                    try await document.create(on: db)
                    try await PetitionEvent(petitionID: petitionID, at: now, kind: .evidence, department: nil, actor: nil, level: 0,
                                            note: document.originalName, documentID: document.id).create(on: db)
                }
                if let earlierFacts {
                    try await PetitionEvent(petitionID: petitionID, at: now, kind: .repeated, department: registrarID, actor: nil, level: 0,
                                            note: earlierFacts.number).create(on: db)
                }
                try await audit.record("petition.received", "petition", petitionID.uuidString.lowercased(),
                                       ["number": petition.number, "kind": submission.kind.rawValue, "stage": petition.stage.rawValue,
                                        "evidence": String(stored.count)])
                if let petitioner {
                    try await outbox.enqueue(to: petitioner, subjectKey: "mail.petition.received.subject",
                                             bodyKey: earlierFacts == nil ? "mail.petition.received.body" : "mail.petition.repeated.body",
                                             arguments: ["number": petition.number, "earlier": earlierFacts?.number ?? "",
                                                         "link": SiteURL.petition(id: petitionID.uuidString.lowercased()).absolute(request.dependencies.config)],
                                             on: db)
                }
                return petition
            }
            return Received(petition: petition, receiptCode: receiptCode)
        } catch {
            for (_, blob) in stored { request.dependencies.documents.remove(storageName: blob.storageName) }
            throw error
        }
    }

    /// Each non-empty file into the encrypted store; any refused file refuses them all.
    private func storeEvidence(_ files: [File]) async throws -> [(File, DocumentStore.Stored)] {
        var stored: [(File, DocumentStore.Stored)] = []
        do {
            for file in files where file.data.readableBytes > 0 {
                let data = file.data
                let body = AsyncStream<ByteBuffer> { continuation in
                    continuation.yield(data)
                    continuation.finish()
                }
                stored.append((file, try await request.dependencies.documents.store(body)))
            }
            return stored
        } catch {
            for (_, blob) in stored { request.dependencies.documents.remove(storageName: blob.storageName) }
            throw DocumentUpload.refusal(error, tooLarge: DocumentUpload.tooLarge(request.dependencies.config))
        }
    }

    /// Stages in which the petitioner may still add evidence: an office is deciding or answering.
    static let evidenceStages: Set<PetitionStage> = [.received, .handling, .reviewing, .reReviewing]

    /// Streams one more evidence file into the store and records it, its history line and its audit
    /// event together; asked again inside the transaction, so a file that outlived its moment is refused.
    func addEvidence(_ entry: PetitionAccess.Entry) async throws -> PetitionDocument {
        guard entry.viewer == .petitioner else { throw AppError(status: .forbidden, key: "petition.refusal.not_petitioner") }
        guard Self.evidenceStages.contains(entry.petition.stage) else { throw AppError(status: .conflict, key: "upload.not_now") }
        let count = try await PetitionDocument.query(on: request.db).filter(\.$petition.$id == entry.id).filter(\.$purpose == .evidence).count()
        guard count < Self.evidenceLimit * 2 else {
            throw AppError(status: .conflict, key: "petition.error.evidence_count", arguments: ["max": String(Self.evidenceLimit * 2)])
        }
        let name = DocumentUpload.fileName(request)
        // No quota of its own beyond the per-file limit: "full" is simply "too large".
        let config = request.dependencies.config
        let stored = try await DocumentUpload.storeBody(request, quotaLeft: config.uploadLimit, quotaFull: DocumentUpload.tooLarge(config))
        let petitionID = entry.id, now = request.now, level = entry.petition.stage.level
        do {
            return try await request.audited { db, audit in
                guard let fresh = try await Petition.find(petitionID, on: db), Self.evidenceStages.contains(fresh.stage) else {
                    throw AppError(status: .conflict, key: "upload.not_now")
                }
                let document = PetitionDocument()
                document.$petition.id = petitionID
                document.purpose = .evidence
                document.level = level
                document.describe(stored, name: name)
                document.createdAt = now
                try await document.create(on: db)
                try await PetitionEvent(petitionID: petitionID, at: now, kind: .evidence, department: nil, actor: nil, level: level,
                                        note: document.originalName, documentID: document.id).create(on: db)
                try await audit.record("petition.evidence", "petition", petitionID.uuidString.lowercased(),
                                       ["document": document.id!.uuidString.lowercased(), "sha256": stored.sha256])
                return document
            }
        } catch {
            request.dependencies.documents.remove(storageName: stored.storageName)
            throw error
        }
    }

    // MARK: Finding

    static func formDigest(_ nonce: String) -> String { SHA256Hash.of(Array("petition-form:\(nonce)".utf8)).description }

    /// The petition a form with this one-time value already made, if any.
    func submitted(nonce: String) async throws -> Petition? {
        try await Petition.query(on: request.db).filter(\.$formDigest == Self.formDigest(nonce)).first()
    }

    /// The anonymous report whose receipt code this is, or nil (a wrong code and a mistyped one alike).
    func report(code: String) async throws -> Petition? {
        guard let digest = ReceiptCode.digest(code) else { return nil }
        return try await Petition.query(on: request.db).filter(\.$receiptDigest == digest).first()
    }

    /// The offices that gave an opinion on the petition at some level: they keep reading it.
    static func answeringOffices(_ petitionID: UUID, on db: any Database) async throws -> Set<UUID> {
        Set(try await PetitionEvent.query(on: db).filter(\.$petition.$id == petitionID).filter(\.$kind == .answered).all()
            .compactMap(\.$department.id))
    }
}

extension Request {
    var petitions: PetitionService { PetitionService(request: self) }
}
