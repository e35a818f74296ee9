import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// An ID photo at the desk: checked on its pixels, refused with every reason at once, and when it
/// passes put straight onto the visitor's ID-card case as its photo.
@Suite("ID photos at a service point's desk")
struct DeskPhotoTests {
    static let renewal = "GA-PSB-001"

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: TestEnvironment.packageRoot + "Tests/Fixtures/photos/" + name)))
    }

    func t(_ app: Application, _ key: String, _ arguments: [String: String] = [:]) -> String {
        app.dependencies.translator.text(key, .en, arguments).htmlEscaped()
    }

    @Test("A bad photo is refused with its reasons and nothing is kept; a good one becomes the case's ID photo")
    func photoOnTheRenewal() async throws {
        try await withTestApp { (app, clock) async throws in
            let desk = try await DeskPermissionTests.Desk.make(app, clock, matterCode: Self.renewal)
            // The renewal is done through a relative at home: the visitor's power of attorney is in place.
            let relative = try await TestAccounts.make(app, email: Inbox.uniqueAddress("relative"), totpSecret: testSecret(74))
            let mandate = try await MandateFixtures.accepted(app, clock, principal: desk.visitor, holder: relative, matters: [Self.renewal])
            let permission = try await desk.grant(matter: Self.renewal)
            let created = try await desk.madrid.post("/matters/\(Self.renewal)/apply?permission=\(try permission.requireID())",
                                                     ["details": "身份证过期，在马德里换领。", "mandate": try mandate.requireID().uuidString])
            let caseID = try #require(created.caseID)
            let desk_ = "/service-point/permissions/\(try permission.requireID())"
            #expect(try await desk.madrid.get(desk_).body.contains("name=\"photo\""))

            func send(_ name: String) async throws -> TestBrowser.Page {
                try await desk.madrid.multipartForm(desk_ + "/photo", fields: [("caseID", caseID.uuidString)],
                                                    files: [(field: "photo", name: name, bytes: try Self.sample(name))])
            }
            let dark = try await send("dark-background.jpg")
            #expect(dark.status == .unprocessableEntity)
            #expect(dark.body.contains(app.dependencies.translator.text("photo.problem.background_dark", .en, ["found": "0"])
                .components(separatedBy: "(").first!.htmlEscaped()))
            let small = try await send("too-small.jpg")
            #expect(small.body.contains(t(app, "photo.problem.too_small", ["found": "200 × 246", "width": "358", "height": "441"])))
            let disguised = try await send("png-disguised-as-jpeg.jpg")
            #expect(disguised.body.contains(t(app, "photo.problem.not_jpeg", ["found": "PNG"])))
            #expect(try await send("off-centre.jpg").status == .unprocessableEntity)
            #expect(try await send("grey.jpg").body.contains(t(app, "photo.problem.not_in_colour")))
            // A small file announcing a huge picture is refused from its header.
            #expect(try await send("too-many-pixels.png").body.contains(t(app, "photo.problem.too_large",
                                                                              ["found": "2000 × 2464", "width": "358", "height": "441"])))
            #expect(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).count() == 0)

            // Another point cannot send one at all.
            #expect(try await desk.milan.multipartForm(desk_ + "/photo", fields: [("caseID", caseID.uuidString)],
                                                       files: [(field: "photo", name: "good.jpg", bytes: try Self.sample("good.jpg"))]).status == .notFound)

            let good = try await send("good.jpg")
            #expect(good.status == .seeOther)
            let photo = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).first())
            let matter = try #require(try await Matter.query(on: app.db).filter(\.$code == Self.renewal).first())
            #expect(photo.materialIndex == DeskPhoto.materialIndex(of: matter))
            #expect(photo.kind == .jpeg)
            // The visitor reads it back byte for byte.
            let download = try await desk.world.citizen.get("/cases/\(caseID)/documents/\(try photo.requireID())")
            #expect(download.bytes == (try Self.sample("good.jpg")))
            #expect(try await desk.madrid.get(desk_ + "?photo=\(caseID)").body.contains("alert-notice"))

            // From home the same rules hold for the ID photo; other materials are not photos.
            let index = try #require(DeskPhoto.materialIndex(of: matter))
            let fromHome = try await desk.world.citizen.upload("/cases/\(caseID)/documents?purpose=material&material=\(index)",
                                                               bytes: try Self.sample("off-centre.jpg"), fileName: "me.jpg")
            #expect(fromHome.status == .unprocessableEntity)
            #expect(fromHome.body.contains(app.dependencies.translator.text("photo.problem.head_off_centre", .en, ["found": ""])
                .components(separatedBy: "about").first!.htmlEscaped()))
            #expect(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).count() == 1)
            #expect(try await desk.world.citizen.upload("/cases/\(caseID)/documents?purpose=material&material=\(index)",
                                                        bytes: try Self.sample("good.jpg"), fileName: "me.jpg").status == .created)
        }
    }
}
