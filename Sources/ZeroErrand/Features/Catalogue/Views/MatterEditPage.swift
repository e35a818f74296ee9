import Vapor

struct MaterialFormValues: Codable {
    var nameZh = ""
    var nameEn = ""
    var descriptionZh = ""
    var descriptionEn = ""
    var canSupplyLater = false
    /// A `MaterialCondition` raw value, or empty when always required.
    var condition = ""
    var providedByMandate = false
    /// Ticked to drop the material when saving.
    var remove = false

    init(nameZh: String = "", nameEn: String = "", descriptionZh: String = "", descriptionEn: String = "",
         canSupplyLater: Bool = false, condition: String = "", providedByMandate: Bool = false) {
        (self.nameZh, self.nameEn, self.descriptionZh, self.descriptionEn) = (nameZh, nameEn, descriptionZh, descriptionEn)
        (self.canSupplyLater, self.condition, self.providedByMandate) = (canSupplyLater, condition, providedByMandate)
    }

    // A form leaves out unticked boxes and untouched fields.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(nameZh: try c.decodeIfPresent(String.self, forKey: .nameZh) ?? "", nameEn: try c.decodeIfPresent(String.self, forKey: .nameEn) ?? "",
                  descriptionZh: try c.decodeIfPresent(String.self, forKey: .descriptionZh) ?? "",
                  descriptionEn: try c.decodeIfPresent(String.self, forKey: .descriptionEn) ?? "",
                  canSupplyLater: try c.decodeIfPresent(Bool.self, forKey: .canSupplyLater) ?? false,
                  condition: try c.decodeIfPresent(String.self, forKey: .condition) ?? "",
                  providedByMandate: try c.decodeIfPresent(Bool.self, forKey: .providedByMandate) ?? false)
        remove = try c.decodeIfPresent(Bool.self, forKey: .remove) ?? false
    }
}

struct MatterEditValues: Encodable {
    var code: String
    var action: String
    var viewPath: String
    var nameZh = ""
    var nameEn = ""
    var descriptionZh = ""
    var descriptionEn = ""
    var keywordsZh = ""
    var keywordsEn = ""
    var timeLimitDays = ""
    var feeAmount = ""
    var feeNoteZh = ""
    var feeNoteEn = ""
    var areas: [Choice] = []
    var departments: [Choice] = []
    var channels: [Choice] = []
    var identityLevels: [Choice] = []
    var materials: [MaterialFormValues] = []
    /// When a material is required; each row compares its own `condition`.
    var conditions: [Choice] = []
}
