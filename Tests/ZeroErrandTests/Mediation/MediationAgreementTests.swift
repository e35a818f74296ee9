import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Mediation: the agreement, its signatures and the judge's sealed confirmation")
struct MediationAgreementTests {
    /// Served on everyone; the mediator has saved no agreement yet.
    static func served(_ world: MediationWorld) async throws -> String {
        let (path, _) = try await world.submitted()
        #expect(try await world.clerk.post(path + "/acceptance", ["mediator": world.mediatorID.uuidString, "judge": world.judgeID.uuidString]).status == .seeOther)
        for browser in [world.rome, world.wenzhou] { #expect(try await browser.get(path).status == .ok) }
        return path
    }

    /// The company in Wenzhou pays each plaintiff by the end of June 2027.
    static func terms(madrid: String = "80000", rome: String = "40000", debtor: String = "2") -> [(String, String)] {
        [("obligations[0][debtor]", debtor), ("obligations[0][creditor]", "0"), ("obligations[0][amount]", madrid),
         ("obligations[0][currency]", "EUR"), ("obligations[0][dueOn]", "2027-06-30"),
         ("obligations[1][debtor]", "2"), ("obligations[1][creditor]", "1"), ("obligations[1][amount]", rome),
         ("obligations[1][currency]", "EUR"), ("obligations[1][dueOn]", "2027-06-30"),
         ("obligations[2][debtor]", ""), ("obligations[2][creditor]", ""), ("obligations[2][amount]", ""), ("obligations[2][dueOn]", ""),
         ("onDefaultChinese", AgreementTerms.template.onDefaultChinese), ("onDefaultEnglish", AgreementTerms.template.onDefaultEnglish),
         ("costsChinese", AgreementTerms.template.costsChinese), ("costsEnglish", AgreementTerms.template.costsEnglish),
         ("otherChinese", ""), ("otherEnglish", "")]
    }

    static func sign(_ browser: TestBrowser, _ path: String, secret: UInt8, sha256: String, clock: ManualClock, drawing: [UInt8]? = nil) async throws -> TestBrowser.Page {
        var fields = ["sha256": sha256, "code": TOTP(secret: testSecret(secret)).code(at: clock.now)]
        if let drawing { fields["drawing"] = "data:image/png;base64," + Data(drawing).base64EncodedString() }
        return try await browser.post(path + "/signature", fields)
    }

    @Test("Two versions, a voided signature, every party signs, the judge confirms: a sealed ruling that verifies, and an unpaid debt goes to enforcement")
    func agreementToEnforcement() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            let path = try await Self.served(world)
            // A party cannot draft; a debtor who owes themselves is refused beside the field, and nothing is saved.
            #expect(try await world.madrid.post(path + "/agreement", pairs: Self.terms()).status == .forbidden)
            let selfOwed = try await world.mediator.post(path + "/agreement", pairs: Self.terms(debtor: "0"))
            #expect(selfOwed.status == .unprocessableEntity && selfOwed.body.contains("two different parties"))
            #expect(try await MediationAgreement.query(on: app.db).count() == 0)

            #expect(try await world.mediator.post(path + "/agreement", pairs: Self.terms()).status == .seeOther)
            let first = try #require(try await MediationAgreement.query(on: app.db).first())
            #expect(first.version == 1 && first.textChinese.contains("温州某贸易有限公司于2027年6月30日前向") && first.textEnglish.contains("shall pay 80000.00 EUR"))
            #expect(first.sha256 == BilingualText.sha256(chinese: first.textChinese, english: first.textEnglish))
            let page = try await world.wenzhou.get(path)
            #expect(page.body.contains(first.sha256) && page.body.contains("Sign the agreement"))
            // The page asks for the current version during the session; nobody else can.
            let version = try await world.rome.get(path + "/agreement/version")
            #expect(version.status == .ok && version.body.contains("\"version\":1") && version.body.contains("\"ended\":false"))
            #expect(try await world.stranger.get(path + "/agreement/version").status == .notFound)

            // Madrid signs version 1 with a drawn signature (a code of a later step than the sign-in's); a
            // stale hash or a wrong code is refused and spends nothing.
            clock.advance(by: 31)
            #expect(try await Self.sign(world.madrid, path, secret: 71, sha256: String(repeating: "0", count: 64), clock: clock).status == .conflict)
            let store = app.dependencies.documents.directory
            let filesBefore = try FileManager.default.contentsOfDirectory(atPath: store).count
            let drawing = "data:image/png;base64," + Data(try NotarizationWorld.drawnSignature()).base64EncodedString()
            let wrongCode = try await world.madrid.post(path + "/signature", ["sha256": first.sha256, "code": "000000", "drawing": drawing])
            #expect(wrongCode.status == .unprocessableEntity)
            // The drawing sent with the refused signature is not kept anywhere.
            #expect(try FileManager.default.contentsOfDirectory(atPath: store).count == filesBefore)
            let drawn = try await Self.sign(world.madrid, path, secret: 71, sha256: first.sha256, clock: clock, drawing: try NotarizationWorld.drawnSignature())
            #expect(drawn.status == .seeOther, "\(drawn.status) \(drawn.body.prefix(3000))")
            #expect(try await SignatureDrawing.query(on: app.db).count() == 1)
            #expect(try await world.judge.post(path + "/confirmation").status == .conflict, "a signature is missing")

            // The mediator changes the amount: Madrid's signature is void, and everyone is told.
            clock.advance(by: 60)
            #expect(try await world.mediator.post(path + "/agreement", pairs: Self.terms(madrid: "85000")).status == .seeOther)
            let second = try #require(try await MediationAgreement.query(on: app.db).filter(\.$version == 2).first())
            #expect(try await Inbox.latest(app, to: world.romeEmail, subject: "sign again").text.contains("version 1 no longer count"))
            let voided = try await world.madrid.get(path)
            #expect(voided.body.contains("Version 2 replaced version 1, which 1 parties had signed") && voided.body.contains("Sign the agreement"))
            #expect(try await Self.sign(world.rome, path, secret: 72, sha256: first.sha256, clock: clock).status == .conflict)

            for (browser, secret) in [(world.madrid, UInt8(71)), (world.rome, 72), (world.wenzhou, 73)] {
                #expect(try await Self.sign(browser, path, secret: secret, sha256: second.sha256, clock: clock).status == .seeOther)
            }
            clock.advance(by: 31)
            #expect(try await Self.sign(world.rome, path, secret: 72, sha256: second.sha256, clock: clock).status == .conflict)
            #expect(try await Inbox.all(app, to: try #require(try await Account.find(world.judgeID, on: app.db)).email).contains { $0.subject.contains("waits for your confirmation") })

            // Only the named judge decides; the mediator cannot confirm their own agreement.
            #expect(try await world.mediator.post(path + "/confirmation").status == .forbidden)
            let review = try await world.judge.get(path)
            #expect(review.body.contains("Review before confirmation") && review.body.contains("identity"))
            let confirmed = try await world.judge.post(path + "/confirmation")
            #expect(confirmed.status == .seeOther)
            let ruling = try #require(try await CourtRuling.query(on: app.db).first())
            let year = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).year
            #expect(ruling.number == "(\(year))浙0328民特1号" && ruling.agreementVersion == 2)
            let caseID = try #require(try await Mediation.query(on: app.db).first()).$caseRecord.id
            #expect(try await Case.find(caseID, on: app.db)?.status == .resultIssued)
            #expect(try await world.judge.post(path + "/confirmation").status == .conflict)

            // Every party downloads the sealed ruling; nobody else can.
            let download = try await world.rome.get(path + "/ruling.pdf")
            #expect(download.status == .ok && SampleFiles.sha256(download.bytes) == ruling.pdfSHA256)
            #expect(try await world.stranger.get(path + "/ruling.pdf").status == .notFound)
            let text = try PDFTools.text(download.bytes)
            for expected in ["民事裁定书", ruling.number, "(\(year)) Zhe 0328 Min Te No. 1", "温州某贸易有限公司", "85000.00 EUR", "文成县人民法院"] {
                #expect(text.contains(expected), "ruling lacks \(expected)")
            }
            #expect(try PDFTools.pdfsig(download.bytes).contains("Signature is Valid."))
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets, courts: Array(app.dependencies.mediationCourts.codes.values))
            guard case .genuine(let registered) = try await register.check(file: download.bytes) else { Issue.record("the ruling is not genuine"); return }
            #expect(registered.number == ruling.number && registered.documentSHA256 == second.sha256)
            var altered = download.bytes
            altered[altered.count / 3] ^= 0x01
            #expect(try await register.check(file: altered) == .altered)
            let code = try #require(text.firstMatch(of: /[A-Z2-9]{5}-[A-Z2-9]{5}/)).output
            let byNumber = try await TestBrowser(app).json(.POST, "/api/v1/verifications/number", ["number": "(\(year)) Zhe 0328 Min Te No. 1", "code": String(code)])
            #expect(byNumber.body.contains("\"verdict\":\"genuine\""), "\(byNumber.body)")
            let qr = try #require(try PDFTools.qrCodes(download.bytes).first)
            guard case .genuine = try await register.check(qrPayload: qr) else { Issue.record("the QR code does not verify"); return }

            // The debts are dates; after the day, Madrid reports its share unpaid: an enforcement application with the ruling attached.
            #expect(try await MediationObligation.query(on: app.db).count() == 2)
            #expect(try await world.madrid.post(path + "/obligations/0/unpaid").status == .conflict, "not yet due")
            clock.advance(by: max(0, CivilDay(year: 2027, month: 7, day: 2)!.startOfDay(in: .gmt).timeIntervalSince(clock.now)))
            try await world.madrid.signIn(world.madridAccount.email, totp: testSecret(71), clock: clock)
            try await world.rome.signIn(world.romeEmail, totp: testSecret(72), clock: clock)
            #expect(try await world.rome.post(path + "/obligations/0/unpaid").status != .seeOther, "only the creditor reports")
            let reported = try await world.madrid.post(path + "/obligations/0/unpaid")
            #expect(reported.status == .seeOther)
            let enforcementID = try #require(reported.location.flatMap { UUID(uuidString: String($0.dropFirst("/cases/".count))) })
            let enforcement = try #require(try await Case.query(on: app.db).filter(\.$id == enforcementID).with(\.$matter).first())
            #expect(enforcement.matter.code == "JU-CT-004" && enforcement.status == .draft)
            #expect(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == enforcementID).first()?.sha256 == ruling.pdfSHA256)
            #expect(try await world.madrid.post(path + "/obligations/0/unpaid").status == .conflict)
        }
    }
}
