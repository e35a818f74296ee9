import Vapor
import ZeroErrandCore

struct Choice: Encodable {
    let value: String
    let label: String
    let selected: Bool
}

struct MatterSummary: Encodable {
    let code: String
    let path: String
    let name: String
    let department: String
    let areaLabel: String
    let channels: [String]
    let timeLimit: String
}

struct CatalogueListPage: Encodable {
    let query: String
    let areas: [Choice]
    let departments: [Choice]
    let matters: [MatterSummary]
    let resultLine: String
    /// Requests done by several offices as one (一件事).
    let bundles: [BundleLink]
}

/// A link to a bundle of matters done as one request.
struct BundleLink: Encodable {
    let name: String
    let path: String
    let description: String
}

struct MaterialView: Encodable {
    let name: String
    let description: String
    let canSupplyLater: Bool
    /// When it is needed, for a conditional material ("only if you married abroad").
    let condition: String?
}

struct MatterPage: Encodable {
    let code: String
    let name: String
    let description: String
    let areaLabel: String
    let department: String
    let departmentPath: String
    let channels: [String]
    let identityLevel: String
    let timeLimit: String
    let fee: String
    let feeNote: String
    let materials: [MaterialView]
    /// How it can be done, for the person looking.
    let ways: [WayView]
    let editPath: String?
    /// The requests across offices this matter is a part of.
    let bundles: [BundleLink]
}

extension Request {
    func bundleLinks(_ definitions: [BundleCatalogue.Definition]) -> [BundleLink] {
        definitions.map { BundleLink(name: $0.name(locale), path: SiteURL.bundle(code: $0.code).path, description: $0.description(locale)) }
    }

    func summary(of matter: Matter) -> MatterSummary {
        MatterSummary(code: matter.code, path: SiteURL.matter(code: matter.code).path, name: matter.name(locale),
                      department: matter.department.name(locale), areaLabel: t("area.\(matter.area.rawValue)"),
                      channels: matter.channels.map { t("channel.\($0.rawValue)") },
                      timeLimit: t("matter.time_limit", ["count": String(matter.timeLimitDays)]))
    }

    func feeText(_ fen: Int) -> String {
        fen == 0 ? t("matter.free") : t("matter.fee_amount", ["amount": String(format: "%.2f", Double(fen) / 100)])
    }
}
