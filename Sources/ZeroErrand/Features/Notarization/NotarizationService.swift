import Fluent
import Foundation
import Vapor
import ZeroErrandCore
import ZeroErrandPrint

/// The steps of a remote notarial act before the decision: the notary prepares the document,
/// opens the certification in the booked video session, the applicant signs there, and the notary
/// certifies what they established. Each step asks `NotarialActRules` (Core) inside one audited
/// transaction and writes the case's timeline with it; a refused step changes nothing.
struct NotarizationService {
    let request: Request

    static let maxDocumentLength = 20_000

    /// The office's numbering for the case's matter; nil when it is not a notarial act.
    func office(of record: Case) -> NotaryOfficeAbbreviation? {
        guard request.dependencies.notarial.kind(of: record.matter.code) != nil else { return nil }
        return request.dependencies.notarial.offices[record.department.code]
    }

    /// Loads the act, applies `action` as `actor`, and hands the allowed next state to `write`, all in
    /// one audited transaction; the timeline line and the audit event are written here.
    @discardableResult
    func step<Value: Sendable>(_ action: NotarialAction, on record: Case, as actor: NotarialActor, note: String = "",
                               audit details: [String: String] = [:],
                               write: @escaping @Sendable (any Database, AuditTrail, NotarialActRecord, NotarialActState) async throws -> Value)
    async throws -> Value {
        guard let office = office(of: record) else { throw AppError.notFound }
        let now = request.now
        let caseID = try record.requireID()
        return try await request.audited { db, audit in
            guard let fresh = try await Case.query(on: db).filter(\.$id == caseID).withCatalogueMatter(request.catalogue).with(\.$department).with(\.$applicant).first()
            else { throw AppError.notFound }
            let act = try await NotarialActRecord.load(for: fresh, office: office, on: db)
            let next: NotarialActState
            switch NotarialActRules.apply(action, to: act.state, by: actor, at: now) {
            case .success(let state): next = state
            case .failure(let refusal): throw AppError(status: .conflict, key: refusal.translationKey)
            }
            let value = try await write(db, audit, act, next)
            try await CaseEvent(caseID: caseID, at: now, actorID: actor.accountID, kind: .action, name: "notarial_\(action.name)",
                                statusAfter: nil, note: note).create(on: db)
            var details = details
            details["case"] = fresh.number
            try await audit.record("notarization.\(action.name)", "case", caseID.uuidString.lowercased(), details)
            return value
        }
    }

    /// The notary sets (or revises) the text the applicant will sign, with its English translation.
    func prepare(_ record: Case, chinese rawChinese: String?, english rawEnglish: String?) async throws {
        let chinese = Self.documentText(rawChinese), english = Self.documentText(rawEnglish)
        guard !chinese.isEmpty, !english.isEmpty else { throw AppError(status: .unprocessableEntity, key: "notarization.document.required") }
        guard chinese.count <= Self.maxDocumentLength, english.count <= Self.maxDocumentLength else {
            throw AppError(status: .unprocessableEntity, key: "notarization.document.too_long", arguments: ["count": String(Self.maxDocumentLength)])
        }
        if record.status.isDecided { throw AppError(status: .conflict, key: NotarialActRefusal.documentLocked.translationKey) }
        guard Self.officeMayWork(record) else { throw AppError(status: .conflict, key: "notarization.case_not_in_review") }
        let notary = try request.requireAccount().requireID()
        let hex = BilingualText.sha256(chinese: chinese, english: english)
        let now = request.now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        try await step(.prepareDocument(sha256: SHA256Hash(hex: hex)!), on: record, as: .notary(notary), audit: ["sha256": hex]) { db, _, act, next in
            let notarization = act.notarization
            notarization.documentText = chinese
            notarization.documentTextEnglish = english
            notarization.documentSHA256 = hex
            notarization.documentVersion = next.document?.version ?? 1
            notarization.documentPreparedBy = notary
            notarization.documentPreparedAt = now
            notarization.sessionID = next.session
            if next.certification == nil { Self.clearCertification(notarization) }
            notarization.updatedAt = now
            try await notarization.save(on: db)
            // The applicant learns the text is ready to read and that the next step is the video;
            // after a revision, that an earlier signature no longer counts.
            if let fresh = try await Case.query(on: db).filter(\.$id == record.requireID()).with(\.$applicant).first() {
                let key = (next.document?.version ?? 1) > 1 ? "notification.case.notarial_document_revised" : "notification.case.notarial_document_ready"
                try await CaseNotifier.notifyApplicant(of: fresh, key: key, on: db, outbox: outbox, config: config, now: now)
            }
        }
    }

    /// How long before the appointment the notary may open it: the applicant may be early too.
    static let openBefore: TimeInterval = 5 * 60

    /// The notary starts certification in the case's booked video appointment.
    func openCertification(_ record: Case) async throws {
        let notary = try request.requireAccount().requireID()
        guard Self.officeMayWork(record) else { throw AppError(status: .conflict, key: "notarization.case_not_in_review") }
        guard let session = try await VideoSession.query(on: request.db).filter(\.$caseRecord.$id == record.requireID())
            .filter(\.$status == .booked).first(), let sessionID = session.id else {
            throw AppError(status: .conflict, key: "notarization.no_booked_session")
        }
        let now = request.now
        guard now >= session.startsAt.addingTimeInterval(-Self.openBefore) else {
            throw AppError(status: .conflict, key: "notarization.open.too_early", arguments: ["start": request.showTime(session.startsAt)])
        }
        try await step(.openCertification(session: sessionID), on: record, as: .notary(notary),
                       audit: ["session": sessionID.uuidString.lowercased()]) { db, _, act, next in
            act.notarization.sessionID = next.session
            act.notarization.updatedAt = now
            try await act.notarization.save(on: db)
        }
    }

    /// The applicant signs the exact document they were shown, with a fresh second factor, while
    /// they are in the certification's video room; a drawn signature, when given, is kept with it.
    func sign(_ record: Case, shownSHA256: String?, code: String?, drawing: String?) async throws {
        let account = try request.requireAccount()
        let signer = try account.requireID()
        guard let office = office(of: record) else { throw AppError.notFound }
        let act = try await NotarialActRecord.load(for: record, office: office, on: request.db)
        guard let text = act.notarization.documentText, let english = act.notarization.documentTextEnglish, let notarizationID = act.notarization.id
        else { throw AppError(status: .conflict, key: NotarialActRefusal.noDocument.translationKey) }
        let document = SignableDocument(objectType: NotarialActRecord.signatureObjectType, objectID: notarizationID.uuidString.lowercased(),
                                        bytes: BilingualText.bytes(chinese: text, english: english))
        let shown = SHA256Hash(hex: shownSHA256 ?? "") ?? SHA256Hash.of([UInt8]())
        let sessionID = act.state.session ?? UUID()
        // Asked before the second factor, so a refused signature spends no code.
        if case .failure(let refusal) = NotarialActRules.apply(.sign(shownSHA256: shown, session: sessionID), to: act.state,
                                                               by: .person(signer), at: request.now) {
            throw AppError(status: .conflict, key: refusal.translationKey)
        }
        try await requireInRoom(sessionID, account: signer)
        let picture = try drawing.nonEmpty.map(DrawnSignature.parse)
        let now = request.now
        try await DrawnSignature.signing(with: picture, store: request.dependencies.documents) { stored in
            try await request.signing.sign(document, shownSHA256: shownSHA256, code: code, videoSessionID: sessionID) { [self, stored] db, audit, signature in
                try await recheckSignature(on: db, audit: audit, record: record, office: office, signer: signer, shown: shown, session: sessionID,
                                           signature: try signature.requireID())
                if let stored { try await DrawnSignature.keep(stored, for: signature, now: now, on: db) }
            }
        }
    }

    /// The rules again inside the signing transaction (the act may have moved since the page was
    /// shown), judged on the act as it was before this signature, and the timeline line.
    private func recheckSignature(on db: any Database, audit: AuditTrail, record: Case, office: NotaryOfficeAbbreviation, signer: UUID,
                      shown: SHA256Hash, session: UUID, signature: UUID) async throws {
        let act = try await NotarialActRecord.load(for: record, office: office, on: db, excludingSignature: signature)
        if case .failure(let refusal) = NotarialActRules.apply(.sign(shownSHA256: shown, session: session), to: act.state,
                                                               by: .person(signer), at: request.now) {
            throw AppError(status: .conflict, key: refusal.translationKey)
        }
        try await CaseEvent(caseID: try record.requireID(), at: request.now, actorID: signer, kind: .action, name: "notarial_sign",
                            statusAfter: nil, note: shown.hex).create(on: db)
        try await audit.record("notarization.sign", "case", try record.requireID().uuidString.lowercased(),
                               ["case": record.number, "sha256": shown.hex, "session": session.uuidString.lowercased()])
    }

    /// The notary records what the session established: identity confirmed (the server saw them
    /// together), will stated, the recording. This ends the session.
    func certify(_ record: Case, identityConfirmed: Bool, willStated: Bool, note rawNote: String?) async throws {
        let official = try request.requireAccount()
        let notary = try official.requireID()
        guard let office = office(of: record) else { throw AppError.notFound }
        let act = try await NotarialActRecord.load(for: record, office: office, on: request.db)
        guard let sessionID = act.state.session, let session = try await VideoSession.find(sessionID, on: request.db) else {
            throw AppError(status: .conflict, key: NotarialActRefusal.noSession.translationKey)
        }
        let note = CaseLifecycle.normalizedText(rawNote ?? "")
        guard note.count <= CaseLifecycle.maxTextLength else { throw AppError(status: .unprocessableEntity, key: "case.error.text_too_long") }
        let recording = try await VideoRecording.query(on: request.db).filter(\.$session.$id == sessionID)
            .filter(\.$status == .complete).sort(\.$completedAt, .descending).first()
        let recordingSHA = recording?.sha256.flatMap(SHA256Hash.init(hex:))
        let action = NotarialAction.certify(session: sessionID, identityConfirmed: identityConfirmed, willStated: willStated,
                                            recordingSHA256: recordingSHA)
        // The rules first (a clear answer for a missing signature or recording), then presence.
        if case .failure(let refusal) = NotarialActRules.apply(action, to: act.state, by: .notary(notary), at: request.now) {
            throw AppError(status: .conflict, key: refusal.translationKey)
        }
        if session.status == .booked {
            try await VideoOfficeController.requireSeenTogether(session: session, record: record, official: official, req: request)
        } else {
            throw AppError(status: .conflict, key: "video.room.closed")
        }
        let now = request.now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let departmentID = session.$department.id
        // Stored as written (or not at all): a text in the notary's language would reach the
        // applicant's history in a language they may not read; the timeline line says what happened.
        let statement = note
        try await step(action, on: record, as: .notary(notary), note: statement,
                       audit: ["session": sessionID.uuidString.lowercased(), "recording_sha256": recordingSHA?.hex ?? ""]) { db, audit, act, _ in
            let notarization = act.notarization
            notarization.identityConfirmed = true
            notarization.willStated = true
            notarization.recordingID = recording?.id
            notarization.recordingSHA256 = recordingSHA?.hex
            notarization.certifiedBy = notary
            notarization.certifiedAt = now
            notarization.updatedAt = now
            try await notarization.save(on: db)
            guard let fresh = try await Case.query(on: db).filter(\.$id == record.requireID()).with(\.$applicant).first() else { throw AppError.notFound }
            try await VideoOfficeController.recordOutcome(.identityConfirmed, note: statement, of: sessionID, on: fresh, official: notary,
                                                          departmentID: departmentID, db: db, audit: audit, outbox: outbox, config: config, now: now,
                                                          notification: "notification.case.notarial_certified")
        }
        await request.application.videoRooms.close(room: sessionID)
    }

    /// The applicant must be connected to the session's room when they sign: the signature is made
    /// before the notary, not from anywhere.
    private func requireInRoom(_ sessionID: UUID, account: UUID) async throws {
        guard let session = try await VideoSession.find(sessionID, on: request.db), session.status == .booked else {
            throw AppError(status: .conflict, key: "video.room.closed")
        }
        guard await request.application.videoRooms.isConnected(room: sessionID, account: account) else {
            throw AppError(status: .conflict, key: "notarization.sign.join_video")
        }
    }

    /// The notary works on the act while the case is under review (or waiting for a supplement):
    /// before that it is not accepted, after it the decision is made.
    static func officeMayWork(_ record: Case) -> Bool {
        [.inReview, .resubmitted, .supplementRequested].contains(record.status)
    }

    static func clearCertification(_ notarization: Notarization) {
        notarization.identityConfirmed = false
        notarization.willStated = false
        notarization.recordingID = nil
        notarization.recordingSHA256 = nil
        notarization.certifiedBy = nil
        notarization.certifiedAt = nil
    }

    /// Line endings and surrounding blank space normalized, so the hash does not depend on the browser.
    static func documentText(_ raw: String?) -> String {
        (raw ?? "").replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Request {
    var notarizations: NotarizationService { NotarizationService(request: self) }
}
