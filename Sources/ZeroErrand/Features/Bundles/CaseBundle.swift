import Fluent
import Foundation

/// One request across several offices (一件事): the citizen's one form, from which each part became
/// an ordinary case (`Case.bundle`, `Case.bundlePart`) in its own office's queue. What the bundle
/// is made of comes from `BundleCatalogue` by `code`.
final class CaseBundle: Model, @unchecked Sendable {
    static let schema = "case_bundles"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Parent(key: "applicant_id") var applicant: Account
    /// What the citizen wrote once for every part.
    @Field(key: "details") var details: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
