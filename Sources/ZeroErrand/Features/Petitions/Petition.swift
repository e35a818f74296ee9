import Fluent
import Foundation
import ZeroErrandCore

/// A petition (信访事项): a suggestion, a complaint or report, or a request, from a citizen under
/// their name or from an anonymous reporter holding a receipt code. What may happen next is decided
/// by `PetitionRules` in Core; this row stores the outcome, and `PetitionEvent` the history.
final class Petition: Model, @unchecked Sendable {
    static let schema = "petitions"

    /// The lawful route a declined petition belongs to (信访不受理的法定途径).
    enum Route: String, Codable, Sendable, CaseIterable {
        case litigation, administrativeReview = "administrative_review", arbitration, other
    }

    @ID(key: .id) var id: UUID?
    /// Readable number, e.g. XF-2026-000042; unique.
    @Field(key: "number") var number: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Field(key: "kind") var kind: PetitionKind
    /// Nil for an anonymous report.
    @OptionalParent(key: "petitioner_id") var petitioner: Account?
    /// SHA-256 of the anonymous reporter's receipt code; nil for a named petition.
    @OptionalField(key: "receipt_digest") var receiptDigest: String?
    /// The office the petition is about, as the petitioner named it; may be none.
    @OptionalParent(key: "concerned_id") var concerned: Department?
    @Field(key: "title") var title: String
    @Field(key: "facts") var facts: String
    @Field(key: "request") var request: String
    @Field(key: "may_contact") var mayContact: Bool
    /// The letters-and-visits office that registered it; it oversees it wherever it goes.
    @Parent(key: "registrar_id") var registrar: Department
    /// The office holding it now, and since when (a transfer restarts the decide clock).
    @Parent(key: "holder_id") var holder: Department
    @Field(key: "held_since") var heldSince: String
    @Field(key: "stage") var stage: PetitionStage
    @Field(key: "received_on") var receivedOn: String
    @OptionalField(key: "accepted_on") var acceptedOn: String?
    @Field(key: "extension_days") var extensionDays: Int
    @OptionalField(key: "answered_on") var answeredOn: String?
    @OptionalField(key: "review_requested_on") var reviewRequestedOn: String?
    @OptionalField(key: "reviewed_on") var reviewedOn: String?
    @OptionalField(key: "re_review_requested_on") var reReviewRequestedOn: String?
    @OptionalField(key: "re_reviewed_on") var reReviewedOn: String?
    /// The office's due day while an office must act; nil otherwise. Cached for the queue and the
    /// overdue view, recomputed at every step.
    @OptionalField(key: "due_on") var dueOn: String?
    /// The first opinion: which office gave it and whether on time (the public statistics).
    @OptionalParent(key: "answered_by_id") var answeredBy: Department?
    @OptionalField(key: "answered_on_time") var answeredOnTime: Bool?
    @OptionalField(key: "satisfaction") var satisfaction: PetitionSatisfaction?
    @OptionalField(key: "rated_level") var ratedLevel: Int?
    @OptionalField(key: "decline_route") var declineRoute: Route?
    /// A petition on the same facts as this earlier one, closed after re-review.
    @OptionalParent(key: "repeat_of_id") var repeatOf: Petition?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// SHA-256 of the one-time value in the form it came from (a resend finds this petition).
    @OptionalField(key: "form_digest") var formDigest: String?

    init() {}

    var state: PetitionFacts {
        get {
            PetitionFacts(stage: stage, anonymous: $petitioner.id == nil, holder: $holder.id, heldSince: CivilDay(heldSince)!,
                          acceptedOn: acceptedOn.flatMap(CivilDay.init), extensionDays: extensionDays,
                          answeredOn: answeredOn.flatMap(CivilDay.init), reviewRequestedOn: reviewRequestedOn.flatMap(CivilDay.init),
                          reviewedOn: reviewedOn.flatMap(CivilDay.init), reReviewRequestedOn: reReviewRequestedOn.flatMap(CivilDay.init),
                          reReviewedOn: reReviewedOn.flatMap(CivilDay.init), ratedLevel: ratedLevel)
        }
        // One write-back for every rule's result, so no field of it can be forgotten.
        set {
            stage = newValue.stage
            $holder.id = newValue.holder
            heldSince = newValue.heldSince.description
            acceptedOn = newValue.acceptedOn?.description
            extensionDays = newValue.extensionDays
            answeredOn = newValue.answeredOn?.description
            reviewRequestedOn = newValue.reviewRequestedOn?.description
            reviewedOn = newValue.reviewedOn?.description
            reReviewRequestedOn = newValue.reReviewRequestedOn?.description
            reReviewedOn = newValue.reReviewedOn?.description
            ratedLevel = newValue.ratedLevel
        }
    }
}

/// One line of a petition's history: every office that holds it later reads all of them.
final class PetitionEvent: Model, @unchecked Sendable {
    static let schema = "petition_events"

    enum Kind: String, Codable, Sendable {
        case received, repeated, accepted, transferred, declined, extended, answered, rated, reviewRequested = "review_requested", evidence
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "petition_id") var petition: Petition
    @Field(key: "at") var at: Date
    @Field(key: "kind") var kind: Kind
    /// The office that took the step (nil for the petitioner's own steps).
    @OptionalParent(key: "department_id") var department: Department?
    /// The official who took it; never shown to an anonymous reporter.
    @OptionalParent(key: "actor_id") var actor: Account?
    /// Where it went (a transfer, a review request).
    @OptionalParent(key: "to_department_id") var toDepartment: Department?
    @Field(key: "level") var level: Int
    /// Reasons, the opinion's text, the rating: what the step said, in the words of whoever took it.
    @Field(key: "note") var note: String
    @OptionalField(key: "document_id") var documentID: UUID?

    init() {}

    init(petitionID: UUID, at: Date, kind: Kind, department: UUID?, actor: UUID?, to: UUID? = nil, level: Int, note: String = "",
         documentID: UUID? = nil) {
        self.$petition.id = petitionID
        self.at = at
        self.kind = kind
        self.$department.id = department
        self.$actor.id = actor
        self.$toDepartment.id = to
        self.level = level
        self.note = note
        self.documentID = documentID
    }
}

/// Evidence the petitioner gave, and the offices' written opinions, kept encrypted in the document store.
final class PetitionDocument: Model, StoredFile, KeyWrappedRow, @unchecked Sendable {
    static let schema = "petition_documents"

    enum Purpose: String, Codable, Sendable { case evidence, opinion }

    @ID(key: .id) var id: UUID?
    @Parent(key: "petition_id") var petition: Petition
    @Field(key: "purpose") var purpose: Purpose
    /// The level an opinion answers (0, review 1, re-review 2).
    @Field(key: "level") var level: Int
    @Field(key: "original_name") var originalName: String
    @Field(key: "kind") var kind: FileKind
    @Field(key: "size") var size: Int64
    @Field(key: "sha256") var sha256: String
    @Field(key: "storage_name") var storageName: String
    @Field(key: "wrapped_key") var wrappedKey: WrappedKey
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
