import Fluent
import Vapor
import ZeroErrandCore

/// Browse and search filters shared by the catalogue pages and the API.
struct CatalogueQuery: Content {
    var area: String?
    var department: String?
    var q: String?

    /// The longest search text taken; longer is refused, not cut (the API document says 200).
    static let maximumSearchLength = 200

    /// Unknown filter values are an error the person can read, not an empty list.
    func matters(on database: any Database) async throws -> [Matter] {
        guard (q ?? "").count <= Self.maximumSearchLength else {
            throw AppError(status: .badRequest, key: "catalogue.query_too_long", arguments: ["count": String(Self.maximumSearchLength)])
        }
        let query = Matter.query(on: database).with(\.$department).sort(\.$code)
        if let area = area.nonEmpty {
            guard let area = MatterArea(rawValue: area) else { throw AppError(status: .badRequest, key: "catalogue.unknown_area") }
            query.filter(\.$area == area)
        }
        if let code = department.nonEmpty {
            guard let department = try await Department.query(on: database).filter(\.$code == code).first() else {
                throw AppError(status: .badRequest, key: "catalogue.unknown_department")
            }
            query.filter(\.$department.$id == (try department.requireID()))
        }
        // Every word must appear somewhere in the folded text: "ID card" finds "renewal of an ID
        // card", "licence" finds "license", "shenfenzheng" finds 居民身份证.
        let terms = CatalogueSearch.terms(q ?? "")
        for term in terms {
            query.filter(\.$searchText ~~ term)
        }
        let found = try await query.all()
        guard let text = q.nonEmpty, !terms.isEmpty else { return found }
        // Exact names first, then names starting with the query, then names containing it; by code within each.
        return found.map { (CatalogueSearch.rank(text, names: [$0.nameZh, $0.nameEn], pinyin: $0.namePinyin), $0) }
            .sorted { ($0.0, $0.1.code) < ($1.0, $1.1.code) }.map(\.1)
    }
}

extension Optional where Wrapped == String {
    /// Nil for a missing or blank value, so `?area=` means "any area".
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}
