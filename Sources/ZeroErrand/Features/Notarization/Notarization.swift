import Fluent
import Foundation
import ZeroErrandCore

/// The notarial act on a case of a notarization matter: the document the applicant signs (each
/// revision a new version, known by its SHA-256), the video certification, and the notary's
/// approval. What may happen next is decided by `NotarialActRules` in Core; this row only stores it.
final class Notarization: Model, @unchecked Sendable {
    static let schema = "notarizations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    /// The exact text the applicant is shown and signs; nil until the notary prepares it.
    @OptionalField(key: "document_text") var documentText: String?
    /// The notary's English translation, signed with the Chinese text and printed on its own page.
    @OptionalField(key: "document_text_en") var documentTextEnglish: String?
    @OptionalField(key: "document_sha256") var documentSHA256: String?
    @Field(key: "document_version") var documentVersion: Int
    @OptionalField(key: "document_prepared_by") var documentPreparedBy: UUID?
    @OptionalField(key: "document_prepared_at") var documentPreparedAt: Date?
    /// The session the signatures are made in and the certification is recorded for.
    @OptionalField(key: "session_id") var sessionID: UUID?
    @Field(key: "identity_confirmed") var identityConfirmed: Bool
    @Field(key: "will_stated") var willStated: Bool
    @OptionalField(key: "recording_id") var recordingID: UUID?
    @OptionalField(key: "recording_sha256") var recordingSHA256: String?
    @OptionalField(key: "certified_by") var certifiedBy: UUID?
    @OptionalField(key: "certified_at") var certifiedAt: Date?
    @OptionalField(key: "approved_by") var approvedBy: UUID?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(caseID: UUID, now: Date) {
        $caseRecord.id = caseID
        documentVersion = 0
        identityConfirmed = false
        willStated = false
        createdAt = now
        updatedAt = now
    }
}

/// The issued certificate: its number, the sealed PDF (a result document of the case), the
/// code printed on it for lookups, and its revocation and paper delivery.
final class NotarialCertificate: Model, @unchecked Sendable {
    static let schema = "notarial_certificates"

    enum Delivery: String, Codable, Sendable { case requested, sent, delivered }

    @ID(key: .id) var id: UUID?
    @Parent(key: "notarization_id") var notarization: Notarization
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "department_id") var department: Department
    /// As printed, e.g. (2026)浙温证字第12号.
    @Field(key: "number") var number: String
    @Field(key: "year") var year: Int
    @Field(key: "serial") var serial: Int
    /// Keyed hash of the verification code printed on the certificate.
    @Field(key: "code_hash") var codeHash: String
    @Parent(key: "document_id") var document: CaseDocument
    /// SHA-256 of the sealed PDF as issued: an uploaded file with this hash is the original.
    @Field(key: "pdf_sha256") var pdfSHA256: String
    /// SHA-256 of the notarial document the applicant signed (also in the QR payload).
    @Field(key: "document_sha256") var documentSHA256: String
    @Field(key: "holder_name") var holderName: String
    @Parent(key: "seal_key_id") var sealKey: SealKey
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "issued_by") var issuedBy: UUID
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "revoked_reason") var revokedReason: String?
    @OptionalField(key: "revoked_by") var revokedBy: UUID?
    /// The paper copy, when the applicant asks for one by post (the address is sealed at rest).
    @OptionalField(key: "delivery") var delivery: Delivery?
    @OptionalField(key: "delivery_address") var deliveryAddress: String?
    @OptionalField(key: "delivery_requested_at") var deliveryRequestedAt: Date?
    @OptionalField(key: "delivery_carrier") var deliveryCarrier: String?
    @OptionalField(key: "delivery_tracking") var deliveryTracking: String?
    @OptionalField(key: "delivery_sent_at") var deliverySentAt: Date?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}

/// One line of an office's electronic notarial journal. Written once, never changed: a mistake
/// is corrected by a later entry that names the one it corrects.
final class NotarialJournalEntry: Model, @unchecked Sendable {
    static let schema = "notarial_journal"

    enum Kind: String, Codable, Sendable { case act, correction, revocation }

    @ID(key: .id) var id: UUID?
    @Parent(key: "department_id") var department: Department
    /// 1, 2, 3, ... per office: a gap or a repeat would show.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "kind") var kind: Kind
    @Parent(key: "notarization_id") var notarization: Notarization
    @OptionalField(key: "corrects_id") var correctsID: UUID?
    /// The entry's facts as JSON (`JournalFacts`), sealed at rest: it names people.
    @Field(key: "facts") var facts: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Parent(key: "recorded_by") var recordedBy: Account

    init() {}
}

/// A handwritten signature drawn on screen, stored encrypted beside the signature it belongs to.
final class SignatureDrawing: Model, @unchecked Sendable {
    static let schema = "signature_drawings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "signature_id") var signature: Signature
    @Field(key: "storage_name") var storageName: String
    @Field(key: "wrapped_key") var wrappedKey: WrappedKey
    @Field(key: "sha256") var sha256: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
