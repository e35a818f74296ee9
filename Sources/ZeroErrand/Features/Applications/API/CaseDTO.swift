import Foundation
import Vapor
import ZeroErrandCore

struct DocumentDTO: Content {
    let id: UUID
    let purpose: String
    let materialIndex: Int?
    let name: String
    let kind: FileKind
    let size: Int64
    let sha256: String
    let createdAt: Date

    init(_ document: CaseDocument) {
        id = document.id!
        purpose = document.purpose.rawValue
        materialIndex = document.materialIndex
        name = document.originalName
        kind = document.kind
        size = document.size
        sha256 = document.sha256
        createdAt = document.createdAt
    }
}

struct CaseDTO: Content {
    let id: UUID
    let number: String
    let matter: String
    let matterName: LocalizedText
    let department: String
    let status: CaseStatus
    let details: String
    let createdAt: Date
    let submittedAt: Date?
    /// Civil days in the office's time zone (YYYY-MM-DD).
    let acceptedOn: String?
    let dueOn: String?
    let supplementItems: [String]
    let supplementDueBy: Date?
    let allowedActions: [String]
    let documents: [DocumentDTO]

    init(_ record: Case, documents: [CaseDocument]) {
        id = record.id!
        number = record.number
        matter = record.matter.code
        matterName = LocalizedText(zhHans: record.matter.nameZh, en: record.matter.nameEn)
        department = record.department.code
        status = record.status
        details = record.details
        createdAt = record.createdAt
        submittedAt = record.submittedAt
        acceptedOn = record.acceptedOn
        dueOn = record.dueOn
        supplementItems = record.supplementItems
        supplementDueBy = record.supplementDueBy
        allowedActions = CaseLifecycle.allowedActions(for: record.status, role: .applicant)
        self.documents = documents.map(DocumentDTO.init)
    }
}

struct TimelineEntryDTO: Content {
    /// `applicant`, `office` or `system`: staff are not named to citizens.
    let by: String
    let at: Date
    let event: String
    let status: CaseStatus?
    let note: String
    let documentID: UUID?
}

struct MessageDTO: Content {
    let id: UUID
    let at: Date
    let fromOffice: Bool
    let body: String
    let read: Bool

    init(_ message: CaseMessage) {
        id = message.id!
        at = message.createdAt
        fromOffice = message.fromOffice
        body = message.body
        read = message.readAt != nil
    }
}
