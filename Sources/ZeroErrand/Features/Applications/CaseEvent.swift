import Fluent
import Foundation
import ZeroErrandCore

/// One line of a case's timeline: an action, a message or a document, with who and when.
final class CaseEvent: Model, @unchecked Sendable {
    static let schema = "case_events"

    enum Kind: String, Codable, Sendable { case action, message, document, video }

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalParent(key: "actor_id") var actor: Account?
    @Field(key: "kind") var kind: Kind
    /// The action's name (`submit`, `request_supplement`, ...) or `message` / `document`.
    @Field(key: "name") var name: String
    @OptionalField(key: "status_after") var statusAfter: CaseStatus?
    /// Reason, note or supplement items, as the actor wrote them.
    @Field(key: "note") var note: String
    @OptionalParent(key: "document_id") var document: CaseDocument?

    init() {}

    /// Every column, for the case page's one read of its lines (see `ModelColumns`).
    static let columns = ModelColumns<CaseEvent> {
        [$0.$id, $0.$caseRecord, $0.$occurredAt, $0.$actor, $0.$kind, $0.$name, $0.$statusAfter, $0.$note, $0.$document]
    }

    init(caseID: UUID, at: Date, actorID: UUID?, kind: Kind, name: String, statusAfter: CaseStatus?, note: String = "",
         documentID: UUID? = nil) {
        self.$caseRecord.id = caseID
        self.occurredAt = at
        self.$actor.id = actorID
        self.kind = kind
        self.name = name
        self.statusAfter = statusAfter
        self.note = note
        self.$document.id = documentID
    }
}
