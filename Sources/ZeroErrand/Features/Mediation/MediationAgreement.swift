import Fluent
import Foundation
import ZeroErrandCore

/// One saved version of the mediation agreement: the terms as the mediator entered them, and the
/// exact Chinese text with its English translation that the parties are shown and sign. Never
/// changed once saved: a change is the next version.
final class MediationAgreement: Model, @unchecked Sendable {
    static let schema = "mediation_agreements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    @Field(key: "version") var version: Int
    /// `AgreementTerms` as JSON: who owes what by when, for the case's deadlines.
    @Field(key: "terms") var terms: String
    @Field(key: "text_zh") var textChinese: String
    @Field(key: "text_en") var textEnglish: String
    /// Hex SHA-256 of `BilingualText.bytes` of the two texts.
    @Field(key: "sha256") var sha256: String
    @Parent(key: "saved_by") var savedBy: Account
    @Field(key: "saved_at") var savedAt: Date

    init() {}
}

/// A party's signature on one version, made by the party or their agent: the shared `Signature`
/// row holds who, what hash, how and when; this row says for which party and version.
final class AgreementSignature: Model, @unchecked Sendable {
    static let schema = "mediation_signatures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    @Parent(key: "party_id") var party: MediationParty
    @Parent(key: "signature_id") var signature: Signature
    @Field(key: "version") var version: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "signed_at") var signedAt: Date

    init() {}
}

/// The judge's ruling confirming the agreement: its number, the sealed PDF (a result document of
/// the filer's case), the code printed on it for lookups, and its revocation. Verified on the same
/// public pages and command as notarial certificates.
final class CourtRuling: Model, @unchecked Sendable {
    static let schema = "court_rulings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "department_id") var department: Department
    /// As printed, e.g. (2027)浙0328民特12号.
    @Field(key: "number") var number: String
    @Field(key: "year") var year: Int
    @Field(key: "serial") var serial: Int
    @Field(key: "code_hash") var codeHash: String
    @Parent(key: "document_id") var document: CaseDocument
    @Field(key: "pdf_sha256") var pdfSHA256: String
    /// The confirmed version and its hash (also in the QR payload).
    @Field(key: "agreement_version") var agreementVersion: Int
    @Field(key: "agreement_sha256") var agreementSHA256: String
    /// The parties as printed, in filing order, joined by "; ".
    @Field(key: "holder_names") var holderNames: String
    @Parent(key: "seal_key_id") var sealKey: SealKey
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "issued_by") var issuedBy: UUID
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "revoked_reason") var revokedReason: String?

    init() {}
}

/// One obligation of the confirmed agreement, as a date on the case: who pays whom, how much, by
/// when; and whether the creditor reported it unpaid.
final class MediationObligation: Model, @unchecked Sendable {
    static let schema = "mediation_obligations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "mediation_id") var mediation: Mediation
    @Field(key: "position") var position: Int
    @Parent(key: "debtor_id") var debtor: MediationParty
    @Parent(key: "creditor_id") var creditor: MediationParty
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: String
    /// The civil day (the court's zone) by which it is due.
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "reported_unpaid_at") var reportedUnpaidAt: Date?
    @OptionalField(key: "reported_by") var reportedBy: UUID?

    init() {}
}
