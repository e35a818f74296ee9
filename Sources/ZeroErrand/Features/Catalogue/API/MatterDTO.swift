import Vapor
import ZeroErrandCore

/// Text in both languages, so an app can show either without a second request.
struct LocalizedText: Content, Equatable {
    let zhHans: String
    let en: String

    enum CodingKeys: String, CodingKey {
        case zhHans = "zh-Hans"
        case en
    }
}

struct MatterDTO: Content {
    struct DepartmentRef: Content { let code: String; let name: LocalizedText; let timeZone: String }
    struct Fee: Content { let amountCNY: String; let note: LocalizedText }
    struct Material: Content {
        let name: LocalizedText; let description: LocalizedText; let canSupplyLater: Bool
        /// Required only when this holds for the application; absent when always required.
        let onlyIf: MaterialCondition?
        /// The case's signed power of attorney on the platform is this material.
        let providedByMandate: Bool
    }

    let code: String
    let area: MatterArea
    let department: DepartmentRef
    let name: LocalizedText
    let description: LocalizedText
    let keywords: [String]
    let channels: [HandlingChannel]
    let identityLevel: Int
    let timeLimitWorkingDays: Int
    let fee: Fee
    let materials: [Material]

    init(_ matter: Matter) {
        code = matter.code
        area = matter.area
        department = DepartmentRef(code: matter.department.code,
                                   name: LocalizedText(zhHans: matter.department.nameZh, en: matter.department.nameEn),
                                   timeZone: matter.department.timeZone)
        name = LocalizedText(zhHans: matter.nameZh, en: matter.nameEn)
        description = LocalizedText(zhHans: matter.descriptionZh, en: matter.descriptionEn)
        keywords = matter.keywordsZh + matter.keywordsEn
        channels = matter.channels
        identityLevel = matter.identityLevel.rawValue
        timeLimitWorkingDays = matter.timeLimitDays
        fee = Fee(amountCNY: String(format: "%.2f", Double(matter.feeFen) / 100),
                  note: LocalizedText(zhHans: matter.feeNoteZh, en: matter.feeNoteEn))
        materials = matter.materials.map {
            Material(name: LocalizedText(zhHans: $0.nameZh, en: $0.nameEn),
                     description: LocalizedText(zhHans: $0.descriptionZh, en: $0.descriptionEn), canSupplyLater: $0.canSupplyLater,
                     onlyIf: $0.condition, providedByMandate: $0.providedByMandate)
        }
    }
}

struct MatterListDTO: Content {
    let count: Int
    let matters: [MatterDTO]
}
