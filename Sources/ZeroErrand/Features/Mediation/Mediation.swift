import Fluent
import Foundation
import ZeroErrandCore

/// A court mediation on a case of the mediation matter: the dispute, the officials the clerk
/// named, and how it ended. The parties are `MediationParty` rows; what may happen next is decided
/// by `MediationRules` in Core, this row only stores it.
final class Mediation: Model, @unchecked Sendable {
    static let schema = "mediations"

    /// What the dispute is about; shown on the papers and used by the court's statistics.
    enum DisputeKind: String, Codable, Sendable, CaseIterable {
        case loan, sale, lease, labour, family, inheritance, property, tort, other
    }

    enum Ending: String, Codable, Sendable { case declined, confirmed, refused }

    @ID(key: .id) var id: UUID?
    /// The filer's case (the mediation matter), its timeline and clock.
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "department_id") var court: Department
    @Field(key: "dispute_kind") var disputeKind: DisputeKind
    /// In the currency's minor unit (cents, fen), so no amount is rounded.
    @Field(key: "amount_minor") var amountMinor: Int64
    /// ISO 4217, e.g. "EUR".
    @Field(key: "currency") var currency: String
    /// What the plaintiffs ask for, in their words.
    @Field(key: "claim") var claim: String
    @OptionalParent(key: "mediator_id") var mediator: Account?
    @OptionalParent(key: "judge_id") var judge: Account?
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalField(key: "ending") var ending: Ending?
    @OptionalField(key: "ending_party_id") var endingPartyID: UUID?
    @OptionalField(key: "ending_reason") var endingReason: String?
    @OptionalField(key: "ended_by") var endedBy: UUID?
    @OptionalField(key: "ended_at") var endedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// The video session of the mediation, once the mediator has fixed one.
    @OptionalField(key: "session_id") var sessionID: UUID?

    init() {}
}

/// One party to the dispute, a person or a company, on one side. The party's own account is
/// linked when they open the papers signed in with the address they were served at; an agent acts
/// for them under a mandate.
final class MediationParty: Model, @unchecked Sendable {
    static let schema = "mediation_parties"

    enum Kind: String, Codable, Sendable, CaseIterable { case person, company }

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    /// Order on the papers: the filer first, then as listed.
    @Field(key: "position") var position: Int
    @Field(key: "side") var side: MediationSide
    @Field(key: "kind") var kind: Kind
    @Field(key: "name") var name: String
    /// Lower-cased; where the papers are served.
    @Field(key: "email") var email: String
    /// ISO 3166-1 alpha-2, e.g. "ES".
    @Field(key: "country") var country: String
    @Field(key: "time_zone") var timeZone: String
    /// The hours this party will sit, on their own clock (minutes after midnight).
    @Field(key: "waking_start") var wakingStart: Int
    @Field(key: "waking_end") var wakingEnd: Int
    @Field(key: "is_filer") var isFiler: Bool
    @OptionalParent(key: "account_id") var account: Account?
    /// The power of attorney under which an agent speaks for this party.
    @OptionalParent(key: "mandate_id") var mandate: Mandate?
    @OptionalField(key: "service_sent_at") var serviceSentAt: Date?
    /// When the party first opened the papers while signed in: the time of electronic service.
    @OptionalField(key: "served_at") var servedAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?

    init() {}

    var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }
    var waking: WakingHours { WakingHours(startMinute: wakingStart, endMinute: wakingEnd) ?? .widest }
}

/// A note on the mediation for one audience: everyone, one side (with the mediator), or the
/// mediator alone. Sealed at rest: notes name people and what they would settle for.
final class MediationNote: Model, @unchecked Sendable {
    static let schema = "mediation_notes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    @Field(key: "audience") var audience: RecordAccess.MediationAudience
    @Parent(key: "author_id") var author: Account
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A paper of the mediation (evidence, a draft, a receipt) for one audience, as notes are: shared
/// with everyone, private to one side and the mediator, or the mediator's own. The bytes live
/// encrypted in the document store, not on the filer's case: the case's own routes show the case's
/// files to its filer, and a defendant's private paper must never be among them.
final class MediationDocument: Model, StoredFile, KeyWrappedRow, @unchecked Sendable {
    static let schema = "mediation_documents"

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    @Field(key: "audience") var audience: RecordAccess.MediationAudience
    @Parent(key: "uploaded_by") var uploadedBy: Account
    @Field(key: "original_name") var originalName: String
    @Field(key: "kind") var kind: FileKind
    @Field(key: "size") var size: Int64
    @Field(key: "sha256") var sha256: String
    @Field(key: "storage_name") var storageName: String
    @Field(key: "wrapped_key") var wrappedKey: WrappedKey
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
