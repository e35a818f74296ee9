import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// What an official sees on a case: who the applicant is and how sure the platform is of it,
/// their local time, and the documents shown in the page rather than downloaded one by one.
@Suite("The office's case page")
struct OfficeCasePageTests {
    @Test("The applicant's email, identity level and how it was reached, and their time now in their zone")
    func applicantCard() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            let page = try await world.clerk.get("/office/cases/\(id)").body
            let t = { (key: String) in app.dependencies.translator.text(key, .en).htmlEscaped() }
            #expect(page.contains("mailto:\(world.citizenAccount.email)"))
            #expect(page.contains(t("identity.level2")) && page.contains(t("case.identity.how.two_factor")))
            let zone = try #require(TimeZone(identifier: world.citizenAccount.timeZone))
            #expect(page.contains(TimeDisplay.format(clock.now, in: zone)))
            // The citizen's own page shows none of it.
            #expect(!(try await world.citizen.get("/cases/\(id)").body.contains(t("case.applicant_time"))))
        }
    }

    @Test("A document shows inline for the office, sandboxed by its own header; downloads and the citizen's route stay attachments")
    func inlinePreview() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            let document = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == id).first())
            let path = "/office/cases/\(id)/documents/\(document.id!)"
            #expect(try await world.clerk.get("/office/cases/\(id)").body.contains("<iframe class=\"preview-frame\" src=\"\(path)?inline=1\""))

            let inline = try await world.clerk.get(path + "?inline=1")
            #expect(inline.status == .ok && inline.bytes == SampleFiles.pdf("material 0"))
            #expect(inline.headers.first(name: .contentDisposition)?.hasPrefix("inline") == true)
            #expect(inline.headers.first(name: "Content-Security-Policy")?.hasPrefix("sandbox;") == true)
            #expect(inline.headers.first(name: "X-Frame-Options") == "SAMEORIGIN")

            let download = try await world.clerk.get(path)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(download.headers.first(name: "X-Frame-Options") == "DENY")
            let citizen = try await world.citizen.get("/cases/\(id)/documents/\(document.id!)?inline=1")
            #expect(citizen.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(citizen.headers.first(name: "Content-Security-Policy")?.contains("sandbox") == false)
        }
    }
}
