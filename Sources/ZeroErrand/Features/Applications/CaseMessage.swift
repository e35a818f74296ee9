import Fluent
import Foundation

/// A message between the citizen and the office on a case (the interactive review).
final class CaseMessage: Model, @unchecked Sendable {
    static let schema = "case_messages"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "author_id") var author: Account
    @Field(key: "from_office") var fromOffice: Bool
    @Field(key: "body") var body: String
    @OptionalParent(key: "document_id") var document: CaseDocument?
    @Field(key: "created_at") var createdAt: Date
    /// When the other side first read it.
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    /// Every column, for the case page's one read of its lines (see `ModelColumns`).
    static let columns = ModelColumns<CaseMessage> {
        [$0.$id, $0.$caseRecord, $0.$author, $0.$fromOffice, $0.$body, $0.$document, $0.$createdAt, $0.$readAt]
    }
}
