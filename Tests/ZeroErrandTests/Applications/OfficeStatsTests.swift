import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// The supervisor's figures per matter, from one grouped query: decided cases, the average days
/// from submission to decision, and the citizens' ratings; other offices' cases never count.
@Suite("Office statistics")
struct OfficeStatsTests {
    @Test("Decided cases, average days and ratings per matter; undecided and other offices' cases left out")
    func figuresPerMatter() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            #expect(try await world.clerk.get("/office/stats").body.contains(app.dependencies.translator.text("stats.empty", .en)))
            let submitted = clock.now
            var ids: [UUID] = []
            for _ in 0..<4 { ids.append(try await world.submittedCase()) }
            let other = try #require(try await Department.query(on: app.db).filter(\.$id != world.matter.$department.id).first())
            for (index, days) in [1.0, 2.0, nil, 9.0].enumerated() {
                let record = try #require(try await Case.find(ids[index], on: app.db))
                record.submittedAt = submitted
                record.decidedAt = days.map { submitted.addingTimeInterval($0 * 86400) }
                if index == 3 { record.$department.id = try other.requireID() }
                try await record.update(on: app.db)
            }
            for (index, score) in [(0, 4), (3, 1)] {
                let rating = CaseRating()
                rating.$caseRecord.id = ids[index]
                rating.score = score
                rating.comment = ""
                rating.createdAt = clock.now
                try await rating.create(on: app.db)
            }
            let page = try await world.clerk.get("/office/stats")
            #expect(page.status == .ok)
            let cells = page.body.components(separatedBy: "class=\"number\">").dropFirst().map { $0.prefix { $0 != "<" } }
            #expect(cells == ["2", "1.5", "1", "4.0"], "\(cells)")
            #expect(page.body.contains(world.matter.name(.en).htmlEscaped()))
        }
    }
}
