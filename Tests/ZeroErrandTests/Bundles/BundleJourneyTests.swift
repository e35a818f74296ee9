import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// One request across several offices (一件事): one form, each document uploaded once, each office
/// working only its own part, results reused from the wallet, one timeline, the bundle's rule on a refusal.
@Suite("Bundles: one request, several offices")
struct BundleJourneyTests {
    struct Office {
        let clerk: TestBrowser
        let supervisor: TestBrowser
    }

    /// A clerk who prepares and a supervisor who decides, at the office `code`.
    static func office(_ app: Application, _ clock: ManualClock, _ code: String, seed: UInt8) async throws -> Office {
        var browsers: [TestBrowser] = []
        for (offset, roles) in [[StaffRole.clerk], [.supervisor]].enumerated() {
            let email = Inbox.uniqueAddress("\(roles[0].rawValue)-\(code)")
            try await TestAccounts.make(app, email: email, kind: .staff, roles: roles, departmentCode: code, totpSecret: testSecret(seed + UInt8(offset)))
            let browser = TestBrowser(app)
            try await browser.signIn(email, totp: testSecret(seed + UInt8(offset)), clock: clock)
            browsers.append(browser)
        }
        return Office(clerk: browsers[0], supervisor: browsers[1])
    }

    /// A citizen whose identity an earlier video check confirmed (level 3), signed in.
    static func citizen(_ app: Application, _ clock: ManualClock, seed: UInt8) async throws -> (TestBrowser, Account) {
        let email = Inbox.uniqueAddress("seller")
        let account = try await TestAccounts.make(app, email: email, totpSecret: testSecret(seed))
        let checker = try await TestAccounts.make(app, email: Inbox.uniqueAddress("checker"), kind: .staff, roles: [.clerk], departmentCode: "wz-psb")
        account.identityVerifiedAt = clock.now
        account.identityVerifiedBy = checker.id
        account.identityVerifiedDepartment = checker.$department.id
        try await account.update(on: app.db)
        let browser = TestBrowser(app)
        try await browser.signIn(email, totp: testSecret(seed), clock: clock)
        return (browser, account)
    }

    /// A relative at home, signed in, holding the citizen's power of attorney for `matters`.
    static func relative(_ app: Application, _ clock: ManualClock, of principal: Account, matters: [String],
                         seed: UInt8) async throws -> (TestBrowser, Mandate) {
        let email = Inbox.uniqueAddress("brother")
        let account = try await TestAccounts.make(app, email: email, totpSecret: testSecret(seed))
        let mandate = try await MandateFixtures.accepted(app, clock, principal: principal, holder: account, matters: matters)
        let browser = TestBrowser(app)
        try await browser.signIn(email, totp: testSecret(seed), clock: clock)
        return (browser, mandate)
    }

    /// Starts the bundle `code` and answers its id and parts.
    static func start(_ app: Application, _ citizen: TestBrowser, _ code: String, details: String, mandate: Mandate) async throws -> (UUID, [Case]) {
        let started = try await citizen.post("/bundles/\(code)", ["details": details, "mandate": mandate.id!.uuidString])
        #expect(started.status == .seeOther)
        let id = try #require(started.location.flatMap { UUID(uuidString: String($0.split(separator: "/").last ?? "")) })
        let parts = try await Case.query(on: app.db).filter(\.$bundle.$id == id).with(\.$matter).with(\.$department).sort(\.$bundlePart).all()
        return (id, parts)
    }

    /// Uploads one file into every slot of the bundle's page.
    static func uploadEverySlot(_ app: Application, _ citizen: TestBrowser, bundle id: UUID, code: String) async throws -> [BundleService.Slot] {
        let parts = try await Case.query(on: app.db).filter(\.$bundle.$id == id).with(\.$matter).with(\.$department).sort(\.$bundlePart).all()
        let slots = BundleService.slots(try #require(app.dependencies.bundles.definition(code)), parts: parts)
        for (index, slot) in slots.enumerated() {
            let uploaded = try await citizen.upload("/bundle-requests/\(id)/materials/\(index)", bytes: SampleFiles.pdf(slot.key), fileName: "\(slot.key).pdf")
            #expect(uploaded.status == .created, "\(slot.key)")
            #expect(uploaded.body.contains("\"parts\":\(slot.targets.count)"))
        }
        return slots
    }

    /// The office works its part to a result: accepted and reviewed by the clerk, approved by the
    /// supervisor, the result uploaded and issued.
    static func issue(_ office: Office, _ caseID: UUID, result: String) async throws {
        let path = "/office/cases/\(caseID)"
        #expect(try await office.clerk.post("\(path)/actions/accept").status == .seeOther)
        #expect(try await office.clerk.post("\(path)/actions/start_review").status == .seeOther)
        let approved = try await office.supervisor.post("\(path)/actions/approve", ["text": "准予办理"])
        #expect(approved.status == .seeOther, "\(approved.body.split(separator: "\n").filter { $0.contains("alert") })")
        #expect(try await office.supervisor.upload("\(path)/documents?purpose=result", bytes: SampleFiles.pdf(result), fileName: "\(result).pdf").status == .created)
        #expect(try await office.supervisor.post("\(path)/actions/issue_result").status == .seeOther)
    }

    @Test("A property sale across three offices: one form, each document once, each office only its part, the notarial certificate and tax receipt reused from the wallet, done when every part is")
    func propertySale() async throws {
        try await withTestApp { app, clock in
            let (citizen, account) = try await Self.citizen(app, clock, seed: 140)
            let about = try await citizen.get("/bundles/property-sale")
            #expect(about.status == .ok && about.body.contains("Wenzhou Notary Office") && about.body.contains("Wenzhou Municipal Tax Service")
                    && about.body.contains("Real Estate Registration"))
            // The tax filing and the registration are done at home by a relative: first a power of attorney.
            #expect(about.body.contains("/mandates/new?matter=GA-TX-001%2CGA-RE-001") && !about.body.contains("name=\"details\""))
            #expect(try await citizen.post("/bundles/property-sale", ["details": "出售房产"]).status == .forbidden)
            let (brother, mandate) = try await Self.relative(app, clock, of: account, matters: ["GA-TX-001", "GA-RE-001"], seed: 139)
            #expect(try await citizen.get("/bundles/property-sale").body.contains("name=\"mandate\""))
            #expect(try await citizen.post("/bundles/property-sale", ["details": " ", "mandate": mandate.id!.uuidString]).status == .unprocessableEntity)
            #expect(try await citizen.post("/bundles/property-sale", ["details": "出售房产", "mandate": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await CaseBundle.query(on: app.db).count() == 0, "a refused form makes nothing")

            let (bundleID, parts) = try await Self.start(app, citizen, "property-sale", details: "出售鹿城区房产一套，由弟弟张亮代为签约过户。",
                                                         mandate: mandate)
            #expect(parts.map(\.matter.code) == ["JU-NO-001", "GA-TX-001", "GA-RE-001"] && parts.allSatisfy { $0.status == .draft })
            #expect(parts.map(\.department.code) == ["wz-notary", "wz-tax", "wz-realestate"])
            #expect(parts.map(\.$mandate.id) == [nil, mandate.id, mandate.id], "the notarization is the seller's own, by video")
            // The brother sees the parts he handles, not the request's page.
            #expect(try await brother.get("/cases/\(parts[1].id!)").status == .ok)
            #expect(try await brother.get("/cases/\(parts[0].id!)").status == .notFound)
            #expect(try await brother.get("/bundle-requests/\(parts[0].$bundle.id!)").status == .notFound)

            // The title deed is asked for once, for all three parts; each part keeps its own stored copy.
            let slots = try await Self.uploadEverySlot(app, citizen, bundle: bundleID, code: "property-sale")
            let deed = try #require(slots.first { $0.key == "不动产权证书" })
            #expect(deed.targets.map(\.part) == [0, 1, 2])
            #expect(!slots.contains { ["经公证的授权委托书", "完税凭证", "授权委托书"].contains($0.key) }, "those come from the earlier parts")
            let deedCopies = try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id ~~ parts.compactMap(\.id))
                .filter(\.$originalName == "不动产权证书.pdf").all()
            #expect(deedCopies.count == 3 && Set(deedCopies.map(\.sha256)).count == 1 && Set(deedCopies.map(\.storageName)).count == 3)

            // Submitting sends the notarization; the tax filing and the registration wait for its certificate.
            let submitted = try await citizen.post("/bundle-requests/\(bundleID)/submit")
            #expect(submitted.status == .seeOther && submitted.location == "/bundle-requests/\(bundleID)?submitted=1")
            let afterFirst = try await citizen.get(try #require(submitted.location))
            #expect(afterFirst.body.contains("Parts sent to their offices: 1.")
                    && afterFirst.body.contains("Power of attorney: comes from the result of part 1")
                    && afterFirst.body.contains("Tax payment receipts: comes from the result of part 2"))
            var statuses = try await Case.query(on: app.db).filter(\.$bundle.$id == bundleID).sort(\.$bundlePart).all().map(\.status)
            #expect(statuses == [.submitted, .draft, .draft])

            // Each office sees its own part only; no office sees the request's page.
            let notary = try await Self.office(app, clock, "wz-notary", seed: 141)
            let tax = try await Self.office(app, clock, "wz-tax", seed: 143)
            let registry = try await Self.office(app, clock, "wz-realestate", seed: 145)
            let notaryPage = try await notary.clerk.get("/office/cases/\(parts[0].id!)")
            #expect(notaryPage.status == .ok && notaryPage.body.contains("Part 1 of 3 of a request across offices"))
            #expect(!notaryPage.body.contains(parts[1].number) && !notaryPage.body.contains("/bundle-requests/"))
            #expect(try await tax.clerk.get("/office/cases/\(parts[0].id!)").status == .notFound)
            #expect(try await tax.clerk.get("/office/cases/\(parts[1].id!)").status == .notFound, "a draft is nobody's business yet")
            #expect(try await registry.clerk.get("/office/cases/\(parts[0].id!)").status == .notFound)
            for staff in [tax.clerk, notary.supervisor, registry.clerk] {
                #expect(try await staff.get("/bundle-requests/\(bundleID)").status == .notFound)
            }
            let (stranger, _) = try await Self.citizen(app, clock, seed: 147)
            #expect(try await stranger.get("/bundle-requests/\(bundleID)").status == .notFound)
            #expect(try await stranger.upload("/bundle-requests/\(bundleID)/materials/0", bytes: SampleFiles.pdf("x"), fileName: "x.pdf").status == .notFound)
            #expect(try await stranger.post("/bundle-requests/\(bundleID)/submit").status == .notFound)

            // The notary's certificate (its own flow, tested with notarization) and the tax office's receipt are issued.
            let certificate = SampleFiles.pdf("公证书 (2026)浙温证字第88号")
            let blob = try await app.dependencies.documents.storeBytes(certificate)
            let issued = CaseDocument(caseID: parts[0].id!, by: try account.requireID(), purpose: .result, name: "公证书.pdf", kind: .pdf, blob: blob, now: clock.now)
            try await issued.create(on: app.db)
            let notarial = try #require(try await Case.find(parts[0].id!, on: app.db))
            notarial.status = .resultIssued
            try await notarial.update(on: app.db)
            let onTax = try await citizen.get("/bundle-requests/\(bundleID)")
            #expect(onTax.body.contains("Power of attorney: part 1 has issued it"))
            let taxPOA = try #require(parts[1].matter.materials.firstIndex { $0.nameZh == "授权委托书" })
            // A file of one's own in its place is refused: only the notary's issued certificate will do.
            let ownFile = try await citizen.upload("/cases/\(parts[1].id!)/documents?purpose=material&material=\(taxPOA)",
                                                   bytes: SampleFiles.pdf("my own POA"), fileName: "poa.pdf")
            #expect(ownFile.status == .conflict && ownFile.body.contains("cannot be uploaded"))
            #expect(try await citizen.post("/cases/\(parts[1].id!)/wallet-materials",
                                           ["document": issued.id!.uuidString, "material": String(taxPOA), "consent": "on"]).status == .seeOther)
            let second = try await citizen.post("/bundle-requests/\(bundleID)/submit")
            #expect(second.status == .seeOther && second.location == "/bundle-requests/\(bundleID)?submitted=1")
            statuses = try await Case.query(on: app.db).filter(\.$bundle.$id == bundleID).sort(\.$bundlePart).all().map(\.status)
            #expect(statuses == [.resultIssued, .submitted, .draft])
            let taxPage = try await tax.clerk.get("/office/cases/\(parts[1].id!)")
            #expect(taxPage.status == .ok && taxPage.body.contains("Part 2 of 3 of a request across offices")
                    && taxPage.body.contains("issued by Wenzhou Notary Office"))
            #expect(try await notary.clerk.get("/office/cases/\(parts[1].id!)").status == .notFound)
            try await Self.issue(tax, parts[1].id!, result: "完税证明")

            // The citizen's page tells them to take both from the wallet; they do, with consent.
            let waiting = try await citizen.get("/bundle-requests/\(bundleID)")
            #expect(waiting.body.contains("Notarized power of attorney: part 1 has issued it") && waiting.body.contains("part 2 has issued it"))
            let receipt = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == parts[1].id!).filter(\.$purpose == .result).first())
            let registration = parts[2]
            let notarizedIndex = try #require(registration.matter.materials.firstIndex { $0.nameZh == "经公证的授权委托书" })
            let receiptIndex = try #require(registration.matter.materials.firstIndex { $0.nameZh == "完税凭证" })
            for (document, index) in [(issued.id!, notarizedIndex), (receipt.id!, receiptIndex)] {
                let shared = try await citizen.post("/cases/\(registration.id!)/wallet-materials",
                                                    ["document": document.uuidString, "material": String(index), "consent": "on"])
                #expect(shared.status == .seeOther)
            }
            let last = try await citizen.post("/bundle-requests/\(bundleID)/submit")
            #expect(last.status == .seeOther)

            // The registry reads both marked as issued and checked; it cannot reach the originals.
            let registryPage = try await registry.clerk.get("/office/cases/\(registration.id!)")
            #expect(registryPage.status == .ok && registryPage.body.contains("issued by Wenzhou Notary Office")
                    && registryPage.body.contains("issued by Wenzhou Municipal Tax Service"))
            #expect(try await registry.clerk.get("/office/cases/\(parts[0].id!)/documents/\(issued.id!)").status == .notFound)
            #expect(try await registry.clerk.get("/office/cases/\(parts[1].id!)/documents/\(receipt.id!)").status == .notFound)
            #expect(try await registry.clerk.get("/cases/\(parts[0].id!)/documents/\(issued.id!)").status != .ok)

            try await Self.issue(registry, registration.id!, result: "不动产权证书（新）")
            let done = try await citizen.get("/bundle-requests/\(bundleID)")
            #expect(done.body.contains("Done: every part has its result"))
            // One timeline of every part, each line naming its part.
            #expect(done.body.contains("Part 1: ") && done.body.contains("Part 2: ") && done.body.contains("Part 3: ")
                    && done.body.contains("不动产权证书（新）.pdf"))
            let mine = try await citizen.get("/cases")
            #expect(mine.body.contains("/bundle-requests/\(bundleID)"))
        }
    }

    @Test("A refused part stops the parts not yet decided, and the request says which part and why")
    func refusedPartStopsTheOthers() async throws {
        try await withTestApp { app, clock in
            let (citizen, account) = try await Self.citizen(app, clock, seed: 150)
            let (grandfather, mandate) = try await Self.relative(app, clock, of: account, matters: ["GA-PSB-013", "GA-PSB-018"], seed: 153)
            let (bundleID, parts) = try await Self.start(app, citizen, "newborn-registration", details: "女儿2026年10月生于马德里。", mandate: mandate)
            #expect(parts.map(\.department.code) == ["wz-qiaoban", "wc-psb-yuhu", "wc-psb-yuhu"])
            _ = try await Self.uploadEverySlot(app, citizen, bundle: bundleID, code: "newborn-registration")
            #expect(try await citizen.post("/bundle-requests/\(bundleID)/submit").status == .seeOther)
            let submitted = try await citizen.get("/bundle-requests/\(bundleID)?submitted=1")
            #expect(submitted.body.contains("Foreign birth certificate: comes from the result of part 1"))

            let qiaoban = try await Self.office(app, clock, "wz-qiaoban", seed: 151)
            let refused = try await qiaoban.clerk.post("/office/cases/\(parts[0].id!)/actions/not_accept", ["text": "出生证明未经认证，请先办理领事认证。"])
            #expect(refused.status == .seeOther)
            let after = try await Case.query(on: app.db).filter(\.$bundle.$id == bundleID).sort(\.$bundlePart).all()
            #expect(after.map(\.status) == [.notAccepted, .withdrawn, .withdrawn])
            let page = try await citizen.get("/bundle-requests/\(bundleID)")
            #expect(page.body.contains("Stopped: part 1 (Verification of a foreign birth certificate") && page.body.contains("出生证明未经认证，请先办理领事认证。"))
            #expect(page.body.contains("Withdrawn because another part of the request was refused"))
            #expect(!page.body.contains("/submit\""), "nothing left to submit")
            // Told, not only shown: the citizen's notifications name the withdrawn parts and the reason.
            let notifications = try await citizen.get("/notifications")
            #expect(notifications.body.contains("\(parts[1].number) was withdrawn: another part of the same request was refused")
                    && notifications.body.contains("\(parts[2].number) was withdrawn") && notifications.body.contains("请先办理领事认证"))
            // The relative, who holds no power for the refused part, learns that a part ended, not the other office's reason.
            let told = try await grandfather.get("/notifications")
            #expect(told.body.contains("\(parts[1].number) was withdrawn: another part of the same request was refused.")
                    && !told.body.contains("请先办理领事认证"))
            let partPage = try await grandfather.get("/cases/\(parts[1].id!)")
            #expect(partPage.status == .ok && !partPage.body.contains("请先办理领事认证"))
        }
    }
}
