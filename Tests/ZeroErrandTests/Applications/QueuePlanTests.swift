import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// The office queue and the deadline reminders read through indexes on both databases: no full scan
/// of the cases and no sort of all matching rows, however many cases there are. On PostgreSQL the
/// planner is told to avoid scans and sorts, so a plan that still has one shows no index can serve.
@Suite("Queue and reminders answered by indexes")
struct QueuePlanTests {
    @Test("The queue lists the soonest due first and undated cases last, on both databases")
    func undatedLast() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            var numbers: [String] = []
            for due in ["2027-01-20", nil, "2027-01-10"] {
                let id = try await world.submittedCase()
                let record = try #require(try await Case.find(id, on: app.db))
                record.dueOn = due
                try await record.update(on: app.db)
                numbers.append(record.number)
            }
            let body = try await world.clerk.get("/office/queue").body
            let positions = try numbers.map { try #require(body.range(of: $0)?.lowerBound) }
            #expect(positions[2] < positions[0] && positions[0] < positions[1])
        }
    }

    @Test("The queue's first page and count, with and without a status, and the reminders' search use indexes only")
    func plans() async throws {
        try await withTestApp { (app, clock) async throws in
            let sql = try #require(app.db as? any SQLDatabase)
            let department = UUID()
            let queries: [(String, any SQLExpression)] = [
                ("queue page", OfficeQueueQuery(departmentID: department).pageStatement(1, size: 50)),
                ("submitted page", OfficeQueueQuery(departmentID: department, status: .submitted).pageStatement(1, size: 50)),
                ("queue count", OfficeQueueQuery(departmentID: department).countStatement),
                ("submitted count", OfficeQueueQuery(departmentID: department, status: .submitted).countStatement),
                ("overdue page", OfficeQueueQuery(departmentID: department, due: .before(CivilDay(clock.now, in: .gmt))).pageStatement(1, size: 50)),
                ("reminders", DeadlineReminders.dueSoon(now: clock.now, on: sql).select),
            ]
            for (name, query) in queries {
                let plan = try await Self.plan(query, on: app.db)
                if sql.dialect.name == "postgresql" {
                    #expect(!plan.contains { $0.contains("Seq Scan on cases") }, "\(name): \(plan)")
                    #expect(!plan.contains { $0.contains("Sort") }, "\(name): \(plan)")
                } else {
                    #expect(plan.filter { $0.contains(" cases") }.allSatisfy { $0.hasPrefix("SEARCH cases USING") }, "\(name): \(plan)")
                    #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(name): \(plan)")
                }
            }
        }
    }

    @Test("A case page's lines are read through indexes, whatever the number of cases")
    func caseLines() async throws {
        try await withTestApp { (app, _) async throws in
            let sql = try app.db.sql()
            let plan = try await Self.plan(CaseLines.statement(case: UUID(), viewer: UUID(), on: sql), on: app.db)
            let tables = ["documents", "case_events", "case_messages", "accounts", "notifications"]
            if sql.dialect.name == "postgresql" {
                #expect(!plan.contains { $0.contains("Seq Scan") }, "\(plan)")
            } else {
                #expect(!plan.contains { line in tables.contains { line.hasPrefix("SCAN \($0)") } }, "\(plan)")
            }
        }
    }

    /// The plan's lines: SQLite's `EXPLAIN QUERY PLAN` details, or PostgreSQL's `EXPLAIN` with
    /// sequential scans and sorts priced out.
    static func plan(_ query: any SQLExpression, on db: any Database) async throws -> [String] {
        try await db.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                try await sql.raw("SET LOCAL enable_sort = off").run()
                return try await sql.raw("EXPLAIN \(query)").all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }
            }
            return try await sql.raw("EXPLAIN QUERY PLAN \(query)").all().map { try $0.decode(column: "detail", as: String.self) }
        }
    }
}
