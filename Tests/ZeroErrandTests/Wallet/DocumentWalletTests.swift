import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Document wallet: issued once, reused with consent, checked by the receiving office")
struct DocumentWalletTests {
    /// The citizen's case at the police (GA-PSB-006) with a result issued: a certificate in the wallet.
    static func issued(_ world: CaseWorld) async throws -> (caseID: UUID, document: CaseDocument, bytes: [UInt8]) {
        let caseID = try await world.submittedCase()
        let bytes = SampleFiles.pdf("户籍证明 No. 2026-0042")
        let blob = try await world.app.dependencies.documents.storeBytes(bytes)
        let document = CaseDocument(caseID: caseID, by: try world.clerkAccount.requireID(), purpose: .result, name: "户籍证明.pdf",
                                    kind: .pdf, blob: blob, now: world.clock.now)
        try await document.create(on: world.app.db)
        let record = try #require(try await Case.find(caseID, on: world.app.db))
        record.status = .resultIssued
        try await record.update(on: world.app.db)
        return (caseID, document, bytes)
    }

    static func staff(_ app: Application, _ clock: ManualClock, office: String, seed: UInt8) async throws -> TestBrowser {
        let email = Inbox.uniqueAddress("clerk-\(office)")
        try await TestAccounts.make(app, email: email, kind: .staff, roles: [.clerk], departmentCode: office, totpSecret: testSecret(seed))
        let browser = TestBrowser(app)
        try await browser.signIn(email, totp: testSecret(seed), clock: clock)
        return browser
    }

    @Test("Picked from the wallet with consent, the real-estate registry reads it marked as issued and checked; the tax bureau reads neither copy; without consent nothing is shared")
    func reusedWithConsent() async throws {
        try await withTestApp { app, clock in
            let world = try await CaseWorld.make(app, clock)
            let (sourceCase, source, bytes) = try await Self.issued(world)
            let wallet = try await world.citizen.get("/wallet")
            #expect(wallet.status == .ok && wallet.body.contains("户籍证明.pdf") && wallet.body.contains(source.sha256) && wallet.body.contains("In force"))

            // A transfer registration at the real-estate registry: the first material is taken from the wallet.
            let created = try await world.citizen.post("/matters/GA-RE-005/apply", ["details": "出售鹿城区房产"])
            let target = try #require(created.caseID)
            let page = try await world.citizen.get("/cases/\(target)")
            #expect(page.body.contains("Or use a document from your wallet") && page.body.contains(source.id!.uuidString))
            let refused = try await world.citizen.post("/cases/\(target)/wallet-materials", ["document": source.id!.uuidString, "material": "0"])
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Tick the box"))
            #expect(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == target).count() == 0)
            let shared = try await world.citizen.post("/cases/\(target)/wallet-materials",
                                                      ["document": source.id!.uuidString, "material": "0", "consent": "on"])
            #expect(shared.status == .seeOther)
            let copy = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == target).first())
            #expect(copy.issuedFrom == source.id && copy.sha256 == source.sha256 && copy.materialIndex == 0 && copy.purpose == .material)

            // Another citizen cannot put someone else's document on their case.
            let other = try await CaseWorld.make(app, clock)
            let otherCase = try #require(try await other.citizen.post("/matters/GA-RE-005/apply", ["details": "x"]).caseID)
            #expect(try await other.citizen.post("/cases/\(otherCase)/wallet-materials",
                                                 ["document": source.id!.uuidString, "material": "0", "consent": "on"]).status == .unprocessableEntity)

            let second = try await world.citizen.upload("/cases/\(target)/documents?purpose=material&material=1",
                                                        bytes: SampleFiles.pdf("contract"), fileName: "合同.pdf")
            #expect(second.status == .created)
            #expect(try await world.citizen.post("/cases/\(target)/actions/submit").status == .seeOther)
            let registry = try await Self.staff(app, clock, office: "wz-realestate", seed: 71)
            let officePage = try await registry.get("/office/cases/\(target)")
            #expect(officePage.status == .ok && officePage.body.contains("From the applicant&#39;s wallet: issued by")
                    && officePage.body.contains("Checked: the same bytes as the issuer"))
            let read = try await registry.get("/office/cases/\(target)/documents/\(copy.id!.uuidString)")
            #expect(read.status == .ok && read.bytes == bytes)
            // The registry has no case for the original; the tax bureau has no case for either.
            #expect(try await registry.get("/office/cases/\(sourceCase)/documents/\(source.id!.uuidString)").status == .notFound)
            let tax = try await Self.staff(app, clock, office: "wz-tax", seed: 72)
            #expect(try await tax.get("/office/cases/\(target)/documents/\(copy.id!.uuidString)").status == .notFound)
            #expect(try await tax.get("/office/cases/\(sourceCase)/documents/\(source.id!.uuidString)").status == .notFound)

            // The citizen sees where it went, in the wallet and in the access log.
            #expect(try await world.citizen.get("/wallet").body.contains("Shared, with your consent, with:"))
            #expect(try await world.citizen.get("/account/access-log").body.contains("Shared from your wallet"))

            // Altered at the issuer's end (a different hash on record): the receiving office is warned.
            source.sha256 = String(repeating: "0", count: 64)
            try await source.update(on: app.db)
            #expect(try await registry.get("/office/cases/\(target)").body.contains("does NOT match an issued document"))
        }
    }
}
