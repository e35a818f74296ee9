import Fluent
import Foundation
import ZeroErrandCore

/// One application by a citizen for one matter: the object every later feature (video, proxy,
/// notarization, mediation, petitions) attaches to.
final class Case: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    /// Readable number, e.g. ZE-2026-000123; unique.
    @Field(key: "number") var number: String
    @Parent(key: "matter_id") var matter: Matter
    /// Copied from the matter when the case is created, so moving a matter later does not move its cases.
    @Parent(key: "department_id") var department: Department
    @Parent(key: "applicant_id") var applicant: Account
    @OptionalParent(key: "assignee_id") var assignee: Account?
    @Field(key: "status") var status: CaseStatus
    /// What the citizen wrote about the request.
    @Field(key: "details") var details: String
    /// The matter's legal time limit when the case was created; a later catalogue edit does not move it.
    @Field(key: "limit_days") var limitDays: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    /// The civil day (office zone) the legal clock started, e.g. "2026-12-01".
    @OptionalField(key: "accepted_on") var acceptedOn: String?
    /// Cached due day for queue filters and sorting; recomputed at every state change.
    @OptionalField(key: "due_on") var dueOn: String?
    /// The queue's sort key: the due day, undated cases after every dated one on both databases
    /// (SQLite sorts NULL first, PostgreSQL last). Indexed as written (migration 018).
    static let queueDueKey = "COALESCE(due_on, '9999-12-31')"
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// Materials accepted as "supply later" (indices into the matter's materials) and by when.
    @Field(key: "provisional_missing") var provisionalMissing: [Int]
    @OptionalField(key: "supply_by") var supplyBy: Date?
    /// The open supplement request, if any.
    @Field(key: "supplement_items") var supplementItems: [String]
    @OptionalField(key: "supplement_due_by") var supplementDueBy: Date?
    /// When the applicant was reminded of the approaching supplement or supply-later date.
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @Field(key: "updated_at") var updatedAt: Date
    /// The power of attorney the case is handled under: its relative may act on it within the mandate.
    @OptionalParent(key: "mandate_id") var mandate: Mandate?
    /// The conditions the applicant said hold (`MaterialCondition` raw values); see `materialPlan`.
    @OptionalField(key: "material_conditions") var materialConditions: [String]?
    /// The request across several offices this case is a part of (一件事), and which part (from 0).
    @OptionalParent(key: "bundle_id") var bundle: CaseBundle?
    @OptionalField(key: "bundle_part") var bundlePart: Int?

    /// Which materials this case needs. Call with the matter loaded.
    var materialPlan: MaterialPlan {
        matter.materialPlan(conditions: materialConditions ?? [], hasMandate: $mandate.id != nil)
    }

    init() {}

    /// Every column, for fixed SQL text that reads cases (see `ModelColumns`).
    static let columns = ModelColumns<Case> {
        [$0.$id, $0.$number, $0.$matter, $0.$department, $0.$applicant, $0.$assignee, $0.$status, $0.$details,
         $0.$limitDays, $0.$createdAt, $0.$submittedAt, $0.$acceptedOn, $0.$dueOn, $0.$decidedAt, $0.$provisionalMissing,
         $0.$supplyBy, $0.$supplementItems, $0.$supplementDueBy, $0.$remindedAt, $0.$updatedAt, $0.$mandate,
         $0.$materialConditions, $0.$bundle, $0.$bundlePart]
    }

    var snapshot: CaseSnapshot {
        get { CaseSnapshot(status: status, provisionalMissing: provisionalMissing, supplyBy: supplyBy, supplementDueBy: supplementDueBy) }
        // One write-back for every rule's result, so no field of it can be forgotten.
        set {
            status = newValue.status
            provisionalMissing = newValue.provisionalMissing
            supplyBy = newValue.supplyBy
            supplementDueBy = newValue.supplementDueBy
        }
    }
}

/// The next case number of each year; incremented inside the transaction that creates a case.
final class CaseCounter: Model, @unchecked Sendable {
    static let schema = "case_counters"

    @ID(custom: "year", generatedBy: .user) var id: Int?
    @Field(key: "last_sequence") var lastSequence: Int

    init() {}

    init(year: Int, lastSequence: Int) {
        self.id = year
        self.lastSequence = lastSequence
    }
}

/// A stretch during which the legal clock stood still (the citizen was supplying materials).
/// Days are civil days in the office's zone; an open pause has no end yet.
final class CasePause: Model, @unchecked Sendable {
    static let schema = "case_pauses"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "from_on") var fromOn: String
    @OptionalField(key: "to_on") var toOn: String?

    init() {}

    /// Every column, for the case page's one read of what belongs to the case (see `ModelColumns`).
    static let columns = ModelColumns<CasePause> { [$0.$id, $0.$caseRecord, $0.$fromOn, $0.$toOn] }

    init(caseID: UUID, fromOn: String) {
        self.$caseRecord.id = caseID
        self.fromOn = fromOn
    }
}
