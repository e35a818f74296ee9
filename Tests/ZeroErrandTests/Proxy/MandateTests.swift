import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A citizen abroad, a relative at home and the police station of the ID-card story.
struct ProxyWorld {
    let base: CaseWorld
    let relative: TestBrowser
    let relativeAccount: Account

    static let relativeSecret = testSecret(90)
    static let matter = "GA-PSB-001"

    static func make(_ app: Application, _ clock: ManualClock) async throws -> ProxyWorld {
        let base = try await CaseWorld.make(app, clock, matterCode: matter)
        let email = Inbox.uniqueAddress("relative")
        let account = try await TestAccounts.make(app, email: email, totpSecret: relativeSecret)
        let relative = TestBrowser(app)
        try await relative.signIn(email, totp: relativeSecret, clock: clock)
        return ProxyWorld(base: base, relative: relative, relativeAccount: account)
    }

    /// The citizen writes the mandate in the form; returns its id (still a draft).
    func write(matters: [String] = [matter], collect: Bool = true, proxyID: String = MandateFixtures.proxyID) async throws -> TestBrowser.Page {
        let today = CivilDay(base.clock.now, in: Mandate.zone)
        var pairs: [(String, String)] = [
            ("principalIDNumber", MandateFixtures.principalID), ("proxyName", "李四"), ("proxyIDNumber", proxyID),
            ("relationship", "parent"), ("proxyEmail", relativeAccount.email), ("proxyPhone", "+86 577 1234 5678"),
            ("scope", "matters"), ("validFrom", today.description), ("validUntil", today.adding(days: 30).description),
        ]
        pairs += matters.map { ("matters[]", $0) }
        if collect { pairs.append(("mayCollect", "true")) }
        return try await base.citizen.post("/mandates", pairs: pairs)
    }

    /// Written and signed with a fresh code: the invitation is out. Returns its id.
    func signed(matters: [String] = [matter], collect: Bool = true) async throws -> UUID {
        let written = try await write(matters: matters, collect: collect)
        let id = try #require(written.location.flatMap { UUID(uuidString: String($0.dropFirst("/mandates/".count))) })
        let shown = try await base.citizen.get("/mandates/\(id)")
        let hash = try #require(shown.body.firstMatch(of: /name="sha256" value="([0-9a-f]{64})"/)).output.1
        base.clock.advance(by: 30)
        let signed = try await base.citizen.post("/mandates/\(id)/signature",
                                                 ["sha256": String(hash), "code": TOTP(secret: CaseWorld.citizenSecret).code(at: base.clock.now)])
        #expect(signed.status == .seeOther)
        return id
    }

    /// Written, signed with a fresh code, accepted by the relative with their ID number.
    func accepted(matters: [String] = [matter], collect: Bool = true) async throws -> Mandate {
        let id = try await signed(matters: matters, collect: collect)
        let accepted = try await relative.post("/mandates/\(id)/acceptance", ["idNumber": MandateFixtures.proxyID])
        #expect(accepted.status == .seeOther)
        return try #require(try await Mandate.find(id, on: base.app.db))
    }

    /// The citizen's draft of the matter naming the mandate, with every material uploaded by the relative.
    func caseUnder(_ mandate: Mandate) async throws -> UUID {
        let created = try await base.citizen.post("/matters/\(Self.matter)/apply",
                                                  ["details": "身份证已过期，委托父亲代办。", "mandate": mandate.id!.uuidString])
        let id = try #require(created.caseID)
        let matter = try #require(try await Matter.query(on: base.app.db).filter(\.$code == Self.matter).first())
        // What applies under a mandate: the signed mandate itself is the power of attorney.
        for index in matter.materialPlan(conditions: [], hasMandate: true).missingForSubmission(supplied: []) {
            let file = try SampleFiles.material(matter, index, pdf: "material \(index)", named: "材料\(index).pdf")
            let uploaded = try await relative.upload("/cases/\(id)/documents?purpose=material&material=\(index)",
                                                     bytes: file.bytes, fileName: file.fileName)
            #expect(uploaded.status == .created)
        }
        return id
    }
}

@Suite("Power of attorney")
struct MandateTests {
    @Test("Written, signed with a fresh second factor and accepted: the terms' SHA-256 is in the audit log and the signed PDF")
    func signAndAccept() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted()
            #expect(mandate.status == .accepted && mandate.$proxyAccount.id == world.relativeAccount.id)
            let terms = try app.dependencies.secrets.openText(mandate.termsSealed)
            #expect(terms.contains(MandateFixtures.principalID) && terms.contains(MandateFixtures.proxyID))
            #expect(mandate.termsSHA256 == SampleFiles.sha256(Array(terms.utf8)))
            // Stored sealed: the ID numbers are nowhere in the row as text.
            #expect(!mandate.proxyIDNumberSealed.contains(MandateFixtures.proxyID) && mandate.proxyIDMasked == "330302********" + MandateFixtures.proxyID.suffix(4))
            let signature = try #require(try await Signature.find(try #require(mandate.$signature.id), on: app.db))
            #expect(signature.sha256 == mandate.termsSHA256 && signature.$account.id == world.base.citizenAccount.id && signature.identityLevel == 2)
            let events = try await AuditEvent.query(on: app.db).filter(\.$objectID == mandate.id!.uuidString.lowercased()).all()
            #expect(Set(events.map(\.action)).isSuperset(of: ["mandate.created", "signature.made", "mandate.signed", "mandate.accepted"]))
            #expect(events.first { $0.action == "signature.made" }?.details.contains(mandate.termsSHA256) == true)
            // The invitation reached the relative; the citizen heard of the acceptance.
            #expect(try await Inbox.latest(app, to: world.relativeAccount.email).text.contains("/mandates/\(mandate.id!.uuidString.lowercased())"))
            // The signed document: Chinese text extractable, the hash printed, a clean PDF.
            let pdf = try await world.relative.get("/mandates/\(mandate.id!)/document.pdf")
            #expect(pdf.status == .ok && pdf.headers.contentType?.subType == "pdf")
            let text = try PDFTools.text(pdf.bytes)
            // A long hash may wrap in its column: compared without the spacing.
            #expect(text.contains("授权委托书") && text.filter { !$0.isWhitespace }.contains(mandate.termsSHA256) && text.contains("李四"))
            #expect(try PDFTools.qpdfCheck(pdf.bytes))
            // Once signed, masked to everyone but the office (first 6 and last 4 characters).
            for viewer in [world.relative, world.base.citizen] {
                let body = try await viewer.get("/mandates/\(mandate.id!)").body
                #expect(!body.contains(MandateFixtures.proxyID) && !body.contains(MandateFixtures.principalID) && body.contains(mandate.proxyIDMasked))
            }
        }
    }

    @Test("Accepting: the invitee sees no part of the number, wrong numbers are audited and slowed down per mandate")
    func acceptanceGuesses() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let id = try await world.signed()
            let masked = try ResidentIDNumber(MandateFixtures.proxyID).masked
            #expect(!(try await world.relative.get("/mandates/\(id)").body.contains(masked)))
            // Valid numbers of other people born on other days: each refused and audited, then a pause for everyone.
            let others = (1...5).map { day in
                let first17 = "33030219600\(String(format: "%03d", 400 + day))123"
                return first17 + String(ResidentIDNumber.checkCharacter(forFirst17: first17)!)
            }
            for other in others {
                #expect(try await world.relative.post("/mandates/\(id)/acceptance", ["idNumber": other]).status == .unprocessableEntity)
            }
            let blocked = try await world.relative.post("/mandates/\(id)/acceptance", ["idNumber": MandateFixtures.proxyID])
            #expect(blocked.status == .tooManyRequests)
            #expect(try await Mandate.find(id, on: app.db)?.status == .invited)
            let refusals = try await AuditEvent.query(on: app.db).filter(\.$action == "mandate.acceptance_refused").count()
            #expect(refusals == 5)
            // Once the pause is over the right number is accepted.
            clock.advance(by: 6 * 60)
            try await world.relative.signIn(world.relativeAccount.email, totp: ProxyWorld.relativeSecret, clock: clock)
            #expect(try await world.relative.post("/mandates/\(id)/acceptance", ["idNumber": MandateFixtures.proxyID]).status == .seeOther)
        }
    }

    @Test("The form names every mistake at once, each linked from a summary at the top; nothing is saved")
    func everyMistakeAtOnce() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let today = CivilDay(clock.now, in: Mandate.zone)
            let page = try await world.base.citizen.post("/mandates", pairs: [
                ("principalIDNumber", "123"), ("proxyName", "李四"), ("proxyIDNumber", MandateFixtures.proxyID), ("relationship", "parent"),
                ("proxyEmail", "not an address"), ("scope", "matters"), ("matters[]", ProxyWorld.matter),
                ("validFrom", today.adding(days: -3).description), ("validUntil", today.adding(days: 30).description),
            ])
            #expect(page.status == .unprocessableEntity)
            for field in ["principalIDNumber", "proxyEmail", "validFrom"] {
                #expect(page.body.contains("href=\"#\(field)\""), "summary links to \(field)")
            }
            #expect(page.body.contains(app.dependencies.translator.text("mandate.error.starts_in_past", .en)))
            #expect(try await Mandate.query(on: app.db).count() == 0)
        }
    }

    @Test("Declining ends the invitation, lands on the relative's list, and the citizen is told")
    func decline() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let id = try await world.signed()
            let declined = try await world.relative.post("/mandates/\(id)/refusal")
            #expect(declined.status == .seeOther && declined.location == "/mandates")
            #expect(try await Mandate.find(id, on: app.db)?.status == .declined)
            #expect(try await Inbox.latest(app, to: world.base.citizenAccount.email, subject: "declined").text.contains("/mandates/\(id.uuidString.lowercased())"))
            #expect(try await world.relative.get("/mandates/\(id)").status == .notFound)
        }
    }

    @Test("Only a mandate in force carries a case to the office: not one still invited, not one revoked, not none; and it is fixed once submitted")
    func submitOnlyUnderAMandateInForce() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let invitedID = try await world.signed()
            let created = try await world.base.citizen.post("/matters/\(ProxyWorld.matter)/apply", ["details": "换证", "mandate": invitedID.uuidString])
            let caseID = try #require(created.caseID)
            let matter = try #require(try await Matter.query(on: app.db).filter(\.$code == ProxyWorld.matter).first())
            for index in matter.materialPlan(conditions: [], hasMandate: true).missingForSubmission(supplied: []) {
                let file = try SampleFiles.material(matter, index, pdf: "m\(index)", named: "m.pdf")
                #expect(try await world.base.citizen.upload("/cases/\(caseID)/documents?purpose=material&material=\(index)",
                                                            bytes: file.bytes, fileName: file.fileName).status == .created)
            }
            world.base.citizen.accept = "application/json"
            // Not accepted yet: refused.
            #expect(try await world.base.citizen.post("/cases/\(caseID)/actions/submit").status == .unprocessableEntity)
            // Dropping the mandate from a matter done through a relative: refused too.
            world.base.citizen.accept = "text/html"
            #expect(try await world.base.citizen.post("/cases/\(caseID)/mandate", ["mandate": ""]).status == .seeOther)
            world.base.citizen.accept = "application/json"
            #expect(try await world.base.citizen.post("/cases/\(caseID)/actions/submit").status == .unprocessableEntity)
            #expect(try await world.base.status(caseID) == .draft)
            // Named again and accepted: it goes; then the mandate cannot be changed any more.
            world.base.citizen.accept = "text/html"
            #expect(try await world.base.citizen.post("/cases/\(caseID)/mandate", ["mandate": invitedID.uuidString]).status == .seeOther)
            #expect(try await world.relative.post("/mandates/\(invitedID)/acceptance", ["idNumber": MandateFixtures.proxyID]).status == .seeOther)
            #expect(try await world.base.citizen.post("/cases/\(caseID)/actions/submit").status == .seeOther)
            #expect(try await world.base.citizen.post("/cases/\(caseID)/mandate", ["mandate": ""]).status == .conflict)
            #expect(try await Case.find(caseID, on: app.db)?.$mandate.id == invitedID)
        }
    }

    @Test("A mistyped ID number is refused naming the check character, and nothing is saved")
    func badIDNumber() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let wrong = String(MandateFixtures.proxyID.dropLast()) + (MandateFixtures.proxyID.last == "1" ? "2" : "1")
            let page = try await world.write(proxyID: wrong)
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("The check character should be \(MandateFixtures.proxyID.last!)"))
            // What was typed comes back to be corrected, not typed again.
            #expect(page.body.contains("value=\"\(wrong)\""))
            #expect(try await Mandate.query(on: app.db).count() == 0)
        }
    }

    @Test("A changed document cannot be signed with the old confirmation; a wrong code signs nothing")
    func signingRefusals() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let written = try await world.write()
            let id = try #require(written.location?.split(separator: "/").last.map(String.init))
            clock.advance(by: 30)
            let code = TOTP(secret: CaseWorld.citizenSecret).code(at: clock.now)
            let stale = try await world.base.citizen.post("/mandates/\(id)/signature", ["sha256": String(repeating: "a", count: 64), "code": code])
            #expect(stale.status == .conflict && stale.body.contains("The document changed after it was shown to you"))
            let mandate = try #require(try await Mandate.find(UUID(uuidString: id), on: app.db))
            let wrongCode = try await world.base.citizen.post("/mandates/\(id)/signature", ["sha256": mandate.termsSHA256, "code": "000000"])
            #expect(wrongCode.status == .unprocessableEntity)
            #expect(try await Mandate.find(UUID(uuidString: id), on: app.db)?.status == .draft)
            #expect(try await Signature.query(on: app.db).count() == 0)
            // Another person cannot sign it, nor the relative accept a draft.
            #expect(try await world.relative.post("/mandates/\(id)/signature", ["sha256": mandate.termsSHA256, "code": code]).status == .notFound)
            #expect(try await world.relative.post("/mandates/\(id)/acceptance", ["idNumber": MandateFixtures.proxyID]).status == .notFound)
        }
    }

    @Test("The relative acts only within the mandate: each kind of action outside it is refused on the server")
    func scope() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted(collect: false)
            let inScope = try await world.caseUnder(mandate)
            // The citizen's other case: another matter, not under the mandate.
            let other = try await world.base.citizen.post("/matters/GA-PSB-006/apply", ["details": "户籍证明"])
            let otherID = try #require(other.caseID)
            let otherNumber = try #require(try await Case.find(otherID, on: app.db)?.number)

            // Within: view, upload (done above), message, submit.
            #expect(try await world.relative.get("/cases/\(inScope)").status == .ok)
            #expect(try await world.relative.post("/cases/\(inScope)/messages", ["body": "材料已上传"]).status == .seeOther)
            #expect(try await world.relative.post("/cases/\(inScope)/actions/submit").status == .seeOther)
            #expect(try await Case.find(inScope, on: app.db)?.status == .submitted)

            // Outside: the other case in every way, applying for a matter outside the scope, rating.
            #expect(try await world.relative.get("/cases/\(otherID)").status == .notFound)
            #expect(try await world.relative.post("/cases/\(otherID)/messages", ["body": "x"]).status == .notFound)
            #expect(try await world.relative.post("/cases/\(otherID)/actions/submit").status == .notFound)
            #expect(try await world.relative.upload("/cases/\(otherID)/documents?purpose=material&material=0",
                                                    bytes: SampleFiles.pdf(), fileName: "x.pdf").status == .notFound)
            let apply = try await world.relative.post("/matters/GA-PSB-006/apply", ["details": "x", "mandate": mandate.id!.uuidString])
            #expect(apply.status == .unprocessableEntity || apply.status == .forbidden)
            #expect(try await Case.query(on: app.db).filter(\.$applicant.$id == world.base.citizenAccount.id!).count() == 2)
            let list = try await world.relative.get("/mandates")
            #expect(list.body.contains(try #require(try await Case.find(inScope, on: app.db)?.number)) && !list.body.contains(otherNumber))
            // The relative's own list shows the case they handle, under whose name, and not the other one.
            let handled = try await world.relative.get("/cases").body
            #expect(handled.contains(try #require(try await Case.find(inScope, on: app.db)?.number)) && !handled.contains(otherNumber))
            #expect(handled.contains(world.base.citizenAccount.displayName.htmlEscaped()))
            // Collecting is not granted: the counter refuses it even for a result waiting there.
            let record = try #require(try await Case.find(inScope, on: app.db))
            record.status = .resultIssued
            try await record.update(on: app.db)
            let counter = try await world.base.clerk.post("/office/passes/\(mandate.passCode!)/collections/\(inScope)")
            #expect(counter.status == .forbidden && counter.body.contains("does not allow collecting"))
            #expect(try await Case.find(inScope, on: app.db)?.status == .resultIssued)
            // After the last day, nothing at all.
            clock.advance(by: 32 * 86_400)
            try await world.relative.signIn(world.relativeAccount.email, totp: ProxyWorld.relativeSecret, clock: clock)
            // The former holder is told why (403), and nothing more of the case.
            let ended = try await world.relative.get("/cases/\(inScope)")
            #expect(ended.status == .forbidden && ended.body.contains("revoked or has expired") && !ended.body.contains("身份证已过期"))
            #expect(try await world.relative.post("/cases/\(inScope)/messages", ["body": "x"]).status == .forbidden)
        }
    }

    @Test("Revoked: the next request is refused, the relative and the office are told, the pass says so")
    func revoke() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted()
            let caseID = try await world.caseUnder(mandate)
            #expect(try await world.base.citizen.post("/cases/\(caseID)/actions/submit").status == .seeOther)
            #expect(try await world.base.clerk.get("/office/passes/\(mandate.passCode!)").body.contains("This pass is valid for this office"))
            #expect(try await world.relative.get("/cases/\(caseID)").status == .ok)

            #expect(try await world.base.citizen.post("/mandates/\(mandate.id!)/revocation").status == .seeOther)
            #expect(try await world.relative.get("/cases/\(caseID)").status == .forbidden)
            let revokedPass = try await world.relative.get("/mandates/\(mandate.id!)/pass")
            #expect(revokedPass.body.contains("Do not use this pass") && !revokedPass.body.contains("<svg"), "no code to scan once revoked")
            #expect(try await world.relative.get("/mandates/\(mandate.id!)/pass.pdf").status == .notFound)
            #expect(try await Inbox.all(app, to: world.relativeAccount.email).contains { $0.subject.contains("revoked the power of attorney") })
            #expect(try await Inbox.all(app, to: world.base.clerkAccount.email).contains { $0.text.contains("revoked the power of attorney") })
            let office = try await world.base.clerk.get("/office/cases/\(caseID)")
            #expect(office.body.contains("The power of attorney for this application was revoked"))
            let pass = try await world.base.clerk.get("/office/passes/\(mandate.passCode!)")
            #expect(pass.body.contains("Do not hand over") && pass.body.contains("The principal has revoked this mandate."))
        }
    }

    @Test("The pass: its QR code decodes to the check page; typed codes are normalised; another office learns nothing")
    func pass() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted()
            let code = try #require(mandate.passCode)
            let page = try await world.relative.get("/mandates/\(mandate.id!)/pass")
            #expect(page.status == .ok && page.body.contains(code) && page.body.contains("<svg"))
            let card = try await world.relative.get("/mandates/\(mandate.id!)/pass.pdf")
            #expect(card.status == .ok)
            #expect(try PDFTools.qrCodes(card.bytes) == [SiteURL.officePass(code: code).absolute(app.dependencies.config)])
            // Typed in lower case without dashes, or scanned as the whole URL.
            let typed = try await world.base.clerk.get("/office/passes?code=\(code.lowercased().replacingOccurrences(of: "-", with: ""))")
            #expect(typed.location == "/office/passes/\(code)")
            let page2 = try await world.base.clerk.get("/office/passes/\(code)")
            // No case here yet: the masked number, and not the birth date its hidden digits are.
            let masked = try ResidentIDNumber(MandateFixtures.proxyID).masked
            #expect(page2.body.contains("李四") && page2.body.contains(masked) && !page2.body.contains("1960-03-15"))
            #expect(try await world.base.clerk.get("/office/passes/ABCD-EFGH-JKMN").status == .notFound)
            let notary = try await TestAccounts.make(app, email: Inbox.uniqueAddress("notary"), kind: .staff, roles: [.notary],
                                                     departmentCode: "wz-notary", totpSecret: testSecret(91))
            let elsewhere = TestBrowser(app)
            try await elsewhere.signIn(notary.email, totp: testSecret(91), clock: clock)
            let foreign = try await elsewhere.get("/office/passes/\(code)")
            #expect(foreign.status == .forbidden && !foreign.body.contains("李四") && foreign.body.contains("not valid for this office’s matters"))
            // Revoked, it still tells that office nothing more.
            #expect(try await world.base.citizen.post("/mandates/\(mandate.id!)/revocation").status == .seeOther)
            let revokedElsewhere = try await elsewhere.get("/office/passes/\(code)")
            #expect(revokedElsewhere.status == .forbidden && !revokedElsewhere.body.contains("李四"))
            // The citizen sees each check of her pass, and her relative's acceptance, in her access log.
            let log = try await world.base.citizen.get("/account/access-log").body
            #expect(log.contains("Checked the counter pass") && log.contains("Power of attorney to 李四"))
            #expect(log.contains("Accepted the power of attorney"))
        }
    }

    @Test("The same mandate serves real-estate registration, a household certificate and a driving licence, driven by the catalogue")
    func otherMatters() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let codes = ["GA-RE-001", "GA-PSB-006", "GA-VMO-003"]
            let mandate = try await world.accepted(matters: codes)
            for code in codes {
                let applied = try await world.relative.post("/matters/\(code)/apply", ["details": "代办", "mandate": mandate.id!.uuidString])
                let id = try #require(applied.caseID, "\(code): \(applied.status)")
                let record = try #require(try await Case.find(id, on: app.db))
                #expect(record.$applicant.id == world.base.citizenAccount.id && record.$mandate.id == mandate.id)
                #expect(try await world.base.citizen.get("/cases/\(id)").body.contains("\(world.relativeAccount.displayName) (relative, with a power of attorney)"))
            }
            // A matter the catalogue does not let a relative do cannot be put in a mandate at all.
            let notProxy = try #require(try await Matter.query(on: app.db).all().first { !$0.channels.contains(.proxy) })
            #expect(try await world.write(matters: [notProxy.code]).status == .unprocessableEntity)
        }
    }
}
