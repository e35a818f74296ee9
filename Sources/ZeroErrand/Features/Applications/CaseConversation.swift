import Fluent
import Vapor
import ZeroErrandCore

/// Messages on a case between the citizen and the office (the interactive review).
enum CaseConversation {
    static func post(_ req: Request, on record: Case, fromOffice: Bool, body raw: String?) async throws {
        let body = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 4000 else { throw AppError(status: .unprocessableEntity, key: "message.invalid") }
        guard !record.status.isTerminal else { throw AppError(status: .conflict, key: "message.case_closed") }
        let caseID = try record.requireID()
        let authorID = try req.requireAccount().requireID()
        let now = req.now
        let outbox = req.application.outbox
        let config = req.dependencies.config
        try await req.audited { db, audit in
            let message = CaseMessage()
            message.$caseRecord.id = caseID
            message.$author.id = authorID
            message.fromOffice = fromOffice
            message.body = body
            message.createdAt = now
            try await message.create(on: db)
            try await CaseEvent(caseID: caseID, at: now, actorID: authorID, kind: .message, name: "message", statusAfter: nil,
                                note: body).create(on: db)
            if fromOffice {
                guard let fresh = try await Case.query(on: db).filter(\.$id == caseID).with(\.$applicant).first() else { return }
                try await CaseNotifier.notifyApplicant(of: fresh, key: "notification.case.message", on: db, outbox: outbox,
                                                       config: config, now: now)
            }
            try await audit.record("case.message", "case", caseID.uuidString.lowercased(), ["from_office": String(fromOffice)])
        }
    }
}
