import Fluent
import Foundation
import ZeroErrandCore

/// One public matter a citizen abroad can handle, loaded from `Resources/Catalogue/matters.yaml`
/// and editable by administrators.
final class Matter: Model, @unchecked Sendable {
    static let schema = "matters"

    struct Material: Codable, Sendable, Equatable {
        var nameZh: String
        var nameEn: String
        var descriptionZh: String
        var descriptionEn: String
        /// The office may accept the application now and take this material later.
        var canSupplyLater: Bool
        /// Required only when this holds for the application (the form asks; see `MaterialPlan`).
        var condition: MaterialCondition? = nil
        /// The case's signed power of attorney on the platform is this material.
        var providedByMandate: Bool = false

        var requirement: MaterialRequirement {
            MaterialRequirement(condition: condition, canSupplyLater: canSupplyLater, providedByMandate: providedByMandate)
        }
        func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
        func description(_ locale: AppLocale) -> String { locale == .zhHans ? descriptionZh : descriptionEn }

        init(nameZh: String, nameEn: String, descriptionZh: String, descriptionEn: String, canSupplyLater: Bool,
             condition: MaterialCondition? = nil, providedByMandate: Bool = false) {
            (self.nameZh, self.nameEn, self.descriptionZh, self.descriptionEn) = (nameZh, nameEn, descriptionZh, descriptionEn)
            (self.canSupplyLater, self.condition, self.providedByMandate) = (canSupplyLater, condition, providedByMandate)
        }

        // Rows stored before conditions existed have neither key.
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(nameZh: try c.decode(String.self, forKey: .nameZh), nameEn: try c.decode(String.self, forKey: .nameEn),
                      descriptionZh: try c.decode(String.self, forKey: .descriptionZh),
                      descriptionEn: try c.decode(String.self, forKey: .descriptionEn),
                      canSupplyLater: try c.decode(Bool.self, forKey: .canSupplyLater),
                      condition: try c.decodeIfPresent(MaterialCondition.self, forKey: .condition),
                      providedByMandate: try c.decodeIfPresent(Bool.self, forKey: .providedByMandate) ?? false)
        }
    }

    /// The materials that apply to one application (see `MaterialPlan`).
    func materialPlan(conditions: [String], hasMandate: Bool) -> MaterialPlan {
        MaterialPlan(materials.map(\.requirement), conditions: Set(conditions.compactMap(MaterialCondition.init(rawValue:))),
                     hasMandate: hasMandate)
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "area") var area: MatterArea
    @Parent(key: "department_id") var department: Department
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "description_zh") var descriptionZh: String
    @Field(key: "description_en") var descriptionEn: String
    @Field(key: "keywords_zh") var keywordsZh: [String]
    @Field(key: "keywords_en") var keywordsEn: [String]
    @Field(key: "channels") var channels: [HandlingChannel]
    @Field(key: "identity_level") var identityLevel: IdentityLevel
    @Field(key: "time_limit_days") var timeLimitDays: Int
    /// In fen (CNY 0.01), so money is never a floating-point number.
    @Field(key: "fee_fen") var feeFen: Int
    @Field(key: "fee_note_zh") var feeNoteZh: String
    @Field(key: "fee_note_en") var feeNoteEn: String
    @Field(key: "materials") var materials: [Material]
    /// Who approves or refuses (`DecisionRule`): the role, and whether the preparer may not.
    @Field(key: "decided_by") var decidedBy: StaffRole
    @Field(key: "four_eyes") var fourEyes: Bool
    /// A passport checked in person at a service point gives this matter's level 3 as a video check does.
    @OptionalField(key: "point_check") var pointCheck: Bool?
    var acceptsPointCheck: Bool { pointCheck ?? false }
    /// Tone-less pinyin of `nameZh` ("ju min shen fen zheng ..."), from `matters-pinyin.yaml`.
    @Field(key: "name_pinyin") var namePinyin: String
    /// Names, descriptions, keywords and the name's pinyin, folded by `CatalogueSearch`, for search
    /// on either database.
    @Field(key: "search_text") var searchText: String
    var decisionRule: DecisionRule { DecisionRule(decidedBy: decidedBy, fourEyes: fourEyes) }

    /// Set when an administrator edits the matter; the catalogue file then no longer overwrites it.
    @OptionalField(key: "edited_at") var editedAt: Date?
    @OptionalParent(key: "edited_by") var editedBy: Account?

    init() {}

    func refreshSearchText() {
        searchText = CatalogueSearch.searchText([nameZh, nameEn, descriptionZh, descriptionEn, code] + keywordsZh + keywordsEn,
                                                pinyin: namePinyin)
    }

    func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
    func description(_ locale: AppLocale) -> String { locale == .zhHans ? descriptionZh : descriptionEn }
    func feeNote(_ locale: AppLocale) -> String { locale == .zhHans ? feeNoteZh : feeNoteEn }
}
