import Fluent
import Foundation

/// The citizen's rating of a closed case, one per case.
final class CaseRating: Model, @unchecked Sendable {
    static let schema = "case_ratings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "score") var score: Int
    @Field(key: "comment") var comment: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Every column, for the case page's one read of what belongs to the case (see `ModelColumns`).
    static let columns = ModelColumns<CaseRating> { [$0.$id, $0.$caseRecord, $0.$score, $0.$comment, $0.$createdAt] }
}
