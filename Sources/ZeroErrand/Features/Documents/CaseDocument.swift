import Fluent
import Foundation
import ZeroErrandCore

/// A file on a case: a material, a supplement, an office's result, or a message attachment.
/// The bytes live encrypted in the document store; this row says what they are.
final class CaseDocument: Model, @unchecked Sendable {
    static let schema = "documents"

    enum Purpose: String, Codable, Sendable { case material, supplement, result, attachment }

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "uploaded_by") var uploadedBy: Account
    @Field(key: "purpose") var purpose: Purpose
    /// For materials: which of the matter's required materials this is.
    @OptionalField(key: "material_index") var materialIndex: Int?
    /// The name on the uploader's device, kept only as data, never as a path.
    @Field(key: "original_name") var originalName: String
    @Field(key: "kind") var kind: FileKind
    @Field(key: "size") var size: Int64
    /// Hex SHA-256 of the plaintext.
    @Field(key: "sha256") var sha256: String
    /// The server-chosen name of the encrypted blob in the store.
    @Field(key: "storage_name") var storageName: String
    @Field(key: "wrapped_key") var wrappedKey: WrappedKey
    @Field(key: "created_at") var createdAt: Date
    /// A material taken from the applicant's document wallet: the result document of another case
    /// it copies (same bytes, same hash), which the receiving office checks it against.
    @OptionalField(key: "issued_from_id") var issuedFrom: UUID?

    init() {}

    /// Every column, for the case page's one read of its lines (see `ModelColumns`).
    static let columns = ModelColumns<CaseDocument> {
        [$0.$id, $0.$caseRecord, $0.$uploadedBy, $0.$purpose, $0.$materialIndex, $0.$originalName, $0.$kind, $0.$size,
         $0.$sha256, $0.$storageName, $0.$wrappedKey, $0.$createdAt, $0.$issuedFrom]
    }
}

extension CaseDocument {
    /// A file the office made for the case (a certificate, a ruling, a copy of one), from bytes
    /// already in the document store.
    convenience init(caseID: UUID, by account: UUID, purpose: Purpose, materialIndex: Int? = nil, name: String, kind: FileKind,
                     blob: DocumentStore.Blob, now: Date) {
        self.init()
        $caseRecord.id = caseID
        $uploadedBy.id = account
        self.purpose = purpose
        self.materialIndex = materialIndex
        originalName = name
        self.kind = kind
        size = blob.size
        sha256 = blob.sha256
        storageName = blob.storageName
        wrappedKey = blob.wrappedKey
        createdAt = now
    }
}
