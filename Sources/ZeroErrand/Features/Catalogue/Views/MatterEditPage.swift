import Vapor

struct MaterialFormValues: Codable {
    var nameZh = ""
    var nameEn = ""
    var descriptionZh = ""
    var descriptionEn = ""
    var canSupplyLater = false
    /// Ticked to drop the material when saving.
    var remove = false
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
}
