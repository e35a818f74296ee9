import Fluent
import Foundation
import SQLKit
import Vapor
import ZeroErrandCore

/// The zones an office's applicants live in: those of citizens with an open case there (every
/// booked appointment belongs to one). Staff see their published hours on these clocks.
enum VideoApplicantZones {
    struct Zone: Equatable {
        let zone: TimeZone
        let people: Int
    }

    /// Cases the office still works on, and so applicants who may still need a call.
    static let openStatuses = CaseStatus.allCases.filter { $0 != .draft && !$0.isTerminal }

    /// The most common first; at most `limit`, so a page stays readable.
    static func load(department: UUID, limit: Int = 6, on db: any Database) async throws -> [Zone] {
        guard let sql = db as? any SQLDatabase else { return [] }
        // Counted in the database: an office may have many thousands of open cases.
        let rows = try await sql.raw("""
            SELECT a.time_zone AS zone, COUNT(DISTINCT a.id) AS people
            FROM \(ident: Case.schema) c JOIN \(ident: Account.schema) a ON a.id = c.applicant_id
            WHERE c.department_id = \(bind: department) AND c.status IN (\(binds: openStatuses.map(\.rawValue)))
            GROUP BY a.time_zone
            """).all()
        let zones = try rows.compactMap { row -> Zone? in
            guard let zone = TimeZone(identifier: try row.decode(column: "zone", as: String.self)) else { return nil }
            return Zone(zone: zone, people: try row.decode(column: "people", as: Int.self))
        }
        return Array(zones.sorted { ($0.people, $1.zone.identifier) > ($1.people, $0.zone.identifier) }.prefix(limit))
    }
}
