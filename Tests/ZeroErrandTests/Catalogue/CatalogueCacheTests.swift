import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Matters are read from memory (`CatalogueCache`): an edit is seen at once by the instance that
/// made it and, through PostgreSQL, by every other instance on the same database.
@Suite("The catalogue in memory")
struct CatalogueCacheTests {
    @Test("A case page shows the matter as the administrator left it, the moment the edit is saved")
    func editSeenAtOnce() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let caseID = try await world.draftWithMaterials()
            let before = try await world.citizen.get("/cases/\(caseID)")
            #expect(before.body.contains(world.matter.nameEn.htmlEscaped()))
            let admin = try await AdminTests().signedInAdmin(app, clock)
            #expect(try await admin.post("/admin/matters/\(world.matter.code)",
                                         pairs: AdminTests.editForm(world.matter, nameEn: "Renamed by the administrator")).status == .seeOther)
            #expect(try await world.citizen.get("/cases/\(caseID)").body.contains("Renamed by the administrator"))
        }
    }

    @Test("An edit on one instance is read by another instance on the same PostgreSQL database",
          .enabled(if: TestEnvironment.postgresURL != nil))
    func editReachesOtherInstances() async throws {
        try await withTestApp { (app, clock) async throws in
            let matter = try #require(try await Matter.query(on: app.db).sort(\.$code).first())
            try await withTwoInstances(app, clock: clock) { other in
                // The other instance holds the matter in memory as it was.
                #expect(try await other.catalogue.matter(matter.requireID(), on: other.db)?.nameEn == matter.nameEn)
                let admin = try await AdminTests().signedInAdmin(app, clock)
                #expect(try await admin.post("/admin/matters/\(matter.code)",
                                             pairs: AdminTests.editForm(matter, nameEn: "Edited on the first instance")).status == .seeOther)
                var seen = ""
                for _ in 0..<50 {
                    seen = try await other.catalogue.matter(matter.requireID(), on: other.db)?.nameEn ?? ""
                    if seen == "Edited on the first instance" { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(seen == "Edited on the first instance")
            }
        }
    }
}
