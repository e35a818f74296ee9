import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// The people of a petition: a citizen abroad, another citizen, and clerks of the letters-and-visits
/// bureau, the city police, a police station under it, and the tax bureau (which has no case).
struct PetitionWorld {
    let app: Application
    let clock: ManualClock
    let citizen: TestBrowser
    let citizenEmail: String
    let stranger: TestBrowser
    let bureau: TestBrowser
    let bureauEmail: String
    let police: TestBrowser
    let station: TestBrowser
    let tax: TestBrowser
    let government: TestBrowser

    static let evidence = Array("%PDF-1.4\n% receipt of the deposit\n%%EOF\n".utf8)

    static func make(_ app: Application, _ clock: ManualClock) async throws -> PetitionWorld {
        func person(_ name: String, _ seed: UInt8, department: String? = nil) async throws -> (TestBrowser, String) {
            let email = Inbox.uniqueAddress(name)
            try await TestAccounts.make(app, email: email, kind: department == nil ? .citizen : .staff, roles: department == nil ? [] : [.clerk],
                                        departmentCode: department, totpSecret: testSecret(seed))
            let browser = TestBrowser(app)
            _ = try await browser.signIn(email, totp: testSecret(seed), clock: clock)
            return (browser, email)
        }
        let (citizen, citizenEmail) = try await person("petitioner", 41)
        let (stranger, _) = try await person("stranger", 42)
        let (bureau, bureauEmail) = try await person("bureau", 43, department: "wz-xfj")
        let (police, _) = try await person("police", 44, department: "wz-psb")
        let (station, _) = try await person("station", 45, department: "wz-psb-wuma")
        let (tax, _) = try await person("tax", 46, department: "wz-tax")
        let (government, _) = try await person("government", 47, department: "wz-gov")
        return PetitionWorld(app: app, clock: clock, citizen: citizen, citizenEmail: citizenEmail, stranger: stranger, bureau: bureau, bureauEmail: bureauEmail,
                             police: police, station: station, tax: tax, government: government)
    }

    static func fields(kind: String = "request", otherRoute: String = "none", facts: String) -> [(String, String)] {
        [("kind", kind), ("otherRoute", otherRoute), ("title", "Deposit on my flat in Lucheng not returned"), ("facts", facts),
         ("request", "Have the deposit of 8,000 yuan returned."), ("concerned", ""), ("mayContact", "on"), ("matter", "")]
    }

    func office(_ code: String) async throws -> UUID {
        try #require(try await Department.query(on: app.db).filter(\.$code == code).first()?.id)
    }
}

@Suite("Letters and visits: a petition routed, answered, reviewed and closed")
struct PetitionJourneyTests {
    static let facts = "我在温州鹿城区租住的房屋于2026年10月退租，房东至今未退还押金8000元，街道办事处调解后仍未处理。"

    @Test("Transferred twice, extended once, answered with a PDF, reviewed and re-reviewed by the offices above; the same facts again are answered with that result")
    func transferredTwiceAndReviewed() async throws {
        try await withTestApp { app, clock in
            let world = try await PetitionWorld.make(app, clock)
            let submitted = try await world.citizen.multipartForm("/petitions", fields: PetitionWorld.fields(facts: Self.facts),
                                                                   files: [("evidence[]", "deposit.pdf", PetitionWorld.evidence), ("evidence[]", "", [])])
            #expect(submitted.status == .seeOther)
            let path = try #require(submitted.location)
            let petition = try #require(try await Petition.query(on: app.db).first())
            #expect(petition.stage == .received && petition.number.hasPrefix("XF-") && petition.receiptDigest == nil)
            #expect(try await PetitionDocument.query(on: app.db).filter(\.$purpose == .evidence).count() == 1)
            #expect(try await Inbox.latest(app, to: world.citizenEmail, subject: "received").text.contains(petition.number))
            let mine = try await world.citizen.get(path)
            #expect(mine.status == .ok && mine.body.contains("decides whether to accept it by") && mine.body.contains("deposit.pdf"))

            // More evidence while the bureau decides; nobody else can add to it.
            let more = try await world.citizen.upload(path + "/documents", bytes: PetitionWorld.evidence, fileName: "transfer-receipt.pdf")
            #expect(more.status == .created)
            #expect(try await world.stranger.upload(path + "/documents", bytes: PetitionWorld.evidence, fileName: "x.pdf").status == .notFound)
            #expect(try await world.bureau.upload(path + "/documents", bytes: PetitionWorld.evidence, fileName: "x.pdf").status == .forbidden)
            #expect(try await PetitionDocument.query(on: app.db).filter(\.$purpose == .evidence).count() == 2)

            // Nobody without a case for it learns it exists.
            for browser in [world.stranger, world.police, world.station, world.tax] { #expect(try await browser.get(path).status == .notFound) }

            // The bureau passes it to the police with reasons; the police to the station.
            #expect(try await world.bureau.post(path + "/transfer", ["office": "\(try await world.office("wz-psb"))", "reason": "公安机关职责范围"]).status == .seeOther)
            #expect(try await world.bureau.post(path + "/acceptance").status == .forbidden)
            let atPolice = try await world.police.get(path)
            #expect(atPolice.status == .ok && atPolice.body.contains("公安机关职责范围") && atPolice.body.contains("Accept it for handling here"))
            #expect(try await world.police.post(path + "/transfer", ["office": "\(try await world.office("wz-psb-wuma"))", "reason": "辖区派出所处理"]).status == .seeOther)
            #expect(try await world.station.post(path + "/transfer", ["office": "\(try await world.office("wz-psb"))", "reason": "退回"]).status == .conflict)
            // The police only passed it on: it no longer sees it. The bureau oversees it wherever it goes.
            #expect(try await world.police.get(path).status == .notFound)
            let oversight = try await world.bureau.get("/office/petitions")
            #expect(oversight.body.contains(petition.number))
            #expect(try await Inbox.all(app, to: world.citizenEmail).filter { $0.subject.contains("passed to the office responsible") }.count == 2)

            // The station accepts, extends once with a reason the petitioner is told, and not again.
            #expect(try await world.station.post(path + "/acceptance").status == .seeOther)
            #expect(try await world.station.post(path + "/extension", ["days": "40", "reason": "需要调取证据"]).status == .conflict)
            #expect(try await world.station.post(path + "/extension", ["days": "20", "reason": "需要调取证据"]).status == .seeOther)
            #expect(try await Inbox.latest(app, to: world.citizenEmail, subject: "extended").text.contains("需要调取证据"))
            let again = try await world.station.post(path + "/extension", ["days": "5", "reason": "再次延长"])
            #expect(again.status == .conflict && again.body.contains("already extended once"))
            #expect(try await world.citizen.post(path + "/opinion", ["opinion": "我自己答复"]).status == .forbidden)

            let opinion = "经调查，房东已同意于2026年12月31日前退还押金8000元。"
            #expect(try await world.station.post(path + "/opinion", ["opinion": opinion]).status == .seeOther)
            let answered = try #require(try await Petition.find(petition.id, on: app.db))
            let stationID = try await world.office("wz-psb-wuma")
            #expect(answered.stage == .answered && answered.answeredOnTime == true && answered.$answeredBy.id == stationID)
            let pdfRow = try #require(try await PetitionDocument.query(on: app.db).filter(\.$purpose == .opinion).first())
            let pdf = try await world.citizen.get(SiteURL.petitionDocument(id: answered.id!.uuidString.lowercased(), document: pdfRow.id!.uuidString.lowercased()).path)
            #expect(pdf.status == .ok && pdf.bytes.starts(with: Array("%PDF".utf8)))
            let text = try PDFTools.text(pdf.bytes)
            #expect(text.contains(answered.number) && text.contains("房东已同意") && text.contains("信访事项处理意见书"))
            #expect(try await world.stranger.get(SiteURL.petitionDocument(id: answered.id!.uuidString.lowercased(), document: pdfRow.id!.uuidString.lowercased()).path).status == .notFound)
            #expect(try await Inbox.latest(app, to: world.citizenEmail, subject: "opinion").text.contains("房东已同意"))

            // Dissatisfied: the review goes to the office above the station, the police, which now sees it.
            #expect(try await world.citizen.post(path + "/rating", ["satisfaction": "dissatisfied"]).status == .seeOther)
            #expect(try await world.citizen.post(path + "/rating", ["satisfaction": "satisfied"]).status == .conflict)
            #expect(try await world.citizen.post(path + "/review", ["reason": ""]).status == .unprocessableEntity)
            #expect(try await world.citizen.post(path + "/review", ["reason": "押金至今未退"]).status == .seeOther)
            let review = try await world.police.get(path)
            #expect(review.status == .ok && review.body.contains("Write the review opinion") && review.body.contains("押金至今未退"))
            #expect(try await world.station.get(path).status == .ok)  // it answered: it reads what became of it
            #expect(try await world.police.post(path + "/opinion", ["opinion": "复查认为处理意见并无不当，维持。"]).status == .seeOther)

            // Re-review: the police have no office above them on the platform, so the city government decides; then it is closed.
            #expect(try await world.citizen.post(path + "/review", ["reason": "仍不服"]).status == .seeOther)
            #expect(try await world.bureau.post(path + "/opinion", ["opinion": "信访局不能复核"]).status == .forbidden)
            #expect(try await world.government.post(path + "/opinion", ["opinion": "复核维持复查意见，信访事项终结。"]).status == .seeOther)
            let closed = try #require(try await Petition.find(petition.id, on: app.db))
            #expect(closed.stage == .closed && closed.dueOn == nil)
            #expect(try await world.citizen.upload(path + "/documents", bytes: PetitionWorld.evidence, fileName: "late.pdf").status == .conflict)
            let noMore = try await world.citizen.post(path + "/review", ["reason": "还是不服"])
            #expect(noMore.status == .conflict && noMore.body.contains("does not fit where the petition is now") && noMore.body.contains("This is final"))
            let events = try await PetitionEvent.query(on: app.db).filter(\.$petition.$id == closed.id!).all().map(\.kind)
            #expect(events.filter { $0 == .transferred }.count == 2 && events.filter { $0 == .answered }.count == 3)

            // The same facts again are recognised and answered with the earlier result.
            let repeated = try await world.citizen.multipartForm("/petitions", fields: PetitionWorld.fields(facts: Self.facts + "请再处理。"), files: [])
            let repeatPage = try await world.citizen.get(try #require(repeated.location))
            #expect(repeatPage.body.contains("closed after re-review") && repeatPage.body.contains(closed.number))

            // The public figures count them, with no personal data.
            let stats = try await TestBrowser(app).get("/petitions/statistics")
            #expect(stats.status == .ok && stats.body.contains("<svg") && !stats.body.contains("petitioner") && !stats.body.contains("押金"))
        }
    }

    @Test("Matters for a court, an arbitration or an administrative review are refused with the lawful route named; nothing is stored")
    func otherRoutesRefused() async throws {
        try await withTestApp { app, clock in
            let world = try await PetitionWorld.make(app, clock)
            let refused = try await world.citizen.multipartForm("/petitions", fields: PetitionWorld.fields(otherRoute: "arbitration", facts: Self.facts), files: [])
            #expect(refused.status == .unprocessableEntity && refused.body.contains("/matters/GA-HR-004") && refused.body.contains("never handled as petitions"))
            let chinese = TestBrowser(app, language: "zh-Hans")
            let blank = try await chinese.multipartForm("/petitions/report", fields: [("otherRoute", "none"), ("title", ""), ("facts", ""), ("request", "")], files: [])
            #expect(blank.status == .unprocessableEntity && blank.body.contains("请填写事实经过"))
            let wrongType = try await world.citizen.multipartForm("/petitions", fields: PetitionWorld.fields(facts: Self.facts),
                                                                   files: [("evidence[]", "notes.txt", Array("plain text".utf8))])
            #expect(wrongType.status == .unsupportedMediaType && wrongType.body.contains("Deposit on my flat"), "the form comes back with what was typed")
            let twoLines = PetitionWorld.fields(facts: Self.facts).map { $0.0 == "title" ? ("title", "Deposit\r\nSubject: forged") : $0 }
            #expect(try await world.citizen.multipartForm("/petitions", fields: twoLines, files: []).body.contains("one line"))
            #expect(try await Petition.query(on: app.db).count() == 0)
            #expect(try await PetitionDocument.query(on: app.db).count() == 0)
            let form = try await world.citizen.get("/petitions/new?matter=LV-XF-002")
            #expect(form.body.contains("value=\"complaint\" required checked"))

            // The same form sent twice (a reload, a double click) makes one report; the code is not shown again.
            let report: [(String, String)] = [("otherRoute", "none"), ("title", "Gifts"), ("facts", "A clerk asked for gifts."),
                                              ("request", "Look into it."), ("nonce", "5f0c2a")]
            #expect(try await chinese.multipartForm("/petitions/report", fields: report, files: []).status == .created)
            let again = try await chinese.multipartForm("/petitions/report", fields: report, files: [])
            #expect(again.status == .ok && again.body.contains("此前已收到") && !again.body.contains("receipt-code"))
            #expect(try await Petition.query(on: app.db).count() == 1)

            // A complaint about the police is never passed to the police.
            let police = try await world.office("wz-psb")
            var fields = PetitionWorld.fields(kind: "complaint", facts: "派出所民警办理户籍时索要好处费。")
            fields = fields.map { $0.0 == "concerned" ? ("concerned", police.uuidString) : $0 }
            let complaint = try await world.citizen.multipartForm("/petitions", fields: fields, files: [])
            let path = try #require(complaint.location)
            let refusedTransfer = try await world.bureau.post(path + "/transfer", ["office": police.uuidString, "reason": "职责范围"])
            #expect(refusedTransfer.status == .conflict && refusedTransfer.body.contains("never passed to the office it is about"))
        }
    }

    @Test("An anonymous report gets a receipt code shown once; its status and opinion are read with the code alone, never a review")
    func anonymousReport() async throws {
        try await withTestApp { app, clock in
            let world = try await PetitionWorld.make(app, clock)
            let reporter = TestBrowser(app)
            let received = try await reporter.multipartForm("/petitions/report", fields: [("otherRoute", "none"), ("title", "A clerk asks for gifts"),
                                                                                            ("facts", "The clerk at the window asked me for a gift before taking my papers."),
                                                                                            ("request", "Look into it.")], files: [])
            #expect(received.status == .created && received.headers.first(name: .cacheControl) == "no-store")
            let code = try #require(received.body.firstMatch(of: /id="receipt-code"[^>]*>([0-9A-Z-]{19})</)?.1).description
            let petition = try #require(try await Petition.query(on: app.db).first())
            #expect(petition.$petitioner.id == nil && petition.kind == .complaint && petition.receiptDigest == ReceiptCode.digest(code))
            #expect(!(try await AuditEvent.query(on: app.db).all()).contains { "\($0.details)".contains(code) })

            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            let status = try await reporter.post("/petitions/lookup", ["code": typed])
            #expect(status.status == .ok && status.body.contains(petition.number) && status.body.contains("data-stage=\"received\""))
            #expect(try await TestBrowser(app).post("/petitions/lookup", ["code": "0000-0000-0000-0000"]).status == .notFound)

            let path = SiteURL.petition(id: petition.id!.uuidString.lowercased()).path
            #expect(try await world.bureau.post(path + "/acceptance").status == .seeOther)
            #expect(try await world.bureau.post(path + "/opinion", ["opinion": "已核实并处理相关人员。"]).status == .seeOther)
            let answered = try await reporter.post("/petitions/lookup", ["code": code])
            #expect(answered.body.contains("data-stage=\"answered\"") && !answered.body.contains("Ask for a review") && !answered.body.contains("bureau"))
            let opinion = try #require(try await PetitionDocument.query(on: app.db).filter(\.$purpose == .opinion).first())
            let pdf = try await reporter.post("/petitions/lookup/opinion", ["code": code, "document": opinion.id!.uuidString])
            let opinionText = try PDFTools.text(pdf.bytes)
            #expect(pdf.status == .ok && opinionText.contains("已核实并处理相关人员"))
            #expect(try await reporter.post("/petitions/lookup/opinion", ["code": "0000-0000-0000-0000", "document": opinion.id!.uuidString]).status == .notFound)
            // The page itself needs an account: the code is the only key, and it never rides in a URL.
            #expect(try await reporter.get(path).status != .ok)
        }
    }

    @Test("A petition not decided within 15 working days rises to the office's start page and its overdue list; the petitioner's access log names who opened it")
    func overdueAndAccessLog() async throws {
        try await withTestApp { app, clock in
            let world = try await PetitionWorld.make(app, clock)
            let submitted = try await world.citizen.multipartForm("/petitions", fields: PetitionWorld.fields(facts: Self.facts), files: [])
            let path = try #require(submitted.location)
            #expect(try await world.bureau.get(path).status == .ok)
            #expect(!(try await world.bureau.get("/office").body.contains("Overdue petitions")))
            clock.advance(by: 30 * 24 * 3600)
            try await world.bureau.signIn(world.bureauEmail, totp: testSecret(43), clock: clock)
            #expect(try await world.bureau.get("/office").body.contains("Overdue petitions: 1"))
            let overdue = try await world.bureau.get("/office/petitions?overdue=true")
            #expect(overdue.body.contains("XF-") && overdue.body.contains("badge-overdue"))
            try await world.citizen.signIn(world.citizenEmail, totp: testSecret(41), clock: clock)
            let log = try await world.citizen.get("/account/access-log")
            #expect(log.status == .ok && log.body.contains("Opened your petition"))
        }
    }
}
