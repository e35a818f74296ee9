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
        // Every word must appear somewhere in either language's text: "ID card" finds "renewal of an ID card".
        for term in searchTerms {
            query.filter(\.$searchText ~~ term)
        }
        return try await query.all()
    }

    var searchTerms: [String] {
        guard let text = q.nonEmpty else { return [] }
        return text.lowercased().split(whereSeparator: \.isWhitespace).prefix(8).map(String.init)
    }
}

extension Optional where Wrapped == String {
    /// Nil for a missing or blank value, so `?area=` means "any area".
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}
