import Crypto
import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Mediation: papers for each audience, and agents under a power of attorney")
struct MediationPapersTests {
    /// Uploads `bytes` for `audience` and returns the paper's path.
    static func paper(_ browser: TestBrowser, _ path: String, audience: String, _ text: String) async throws -> String {
        let uploaded = try await browser.upload(path + "/documents?audience=\(audience)", bytes: SampleFiles.pdf(text), fileName: "\(audience).pdf")
        #expect(uploaded.status == .created)
        return path + "/documents/" + (try paperID(uploaded))
    }

    static func paperID(_ page: TestBrowser.Page) throws -> String {
        struct Answer: Decodable { let id: UUID }
        return try JSONDecoder().decode(Answer.self, from: Data(page.bytes)).id.uuidString.lowercased()
    }

    @Test("Each side's private papers are refused (404) to the other side and the judge; shared papers reach everyone, byte for byte")
    func papersPerAudience() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            let path = try await MediationAgreementTests.served(world)
            let shared = try await Self.paper(world.madrid, path, audience: "shared", "loan contract")
            let plaintiffs = try await Self.paper(world.madrid, path, audience: "plaintiff", "what we would settle for")
            let defendants = try await Self.paper(world.wenzhou, path, audience: "defendant", "our bank statements")
            let mediatorOwn = try await Self.paper(world.mediator, path, audience: "mediator", "mediator's working notes")
            // Nobody writes for an audience they may not: the other side, the mediator alone, or a made-up one.
            for (browser, audience) in [(world.wenzhou, "plaintiff"), (world.rome, "defendant"), (world.madrid, "mediator"),
                                        (world.judge, "plaintiff"), (world.madrid, "everyone"), (world.madrid, "")] {
                let refused = try await browser.upload(path + "/documents?audience=\(audience)", bytes: SampleFiles.pdf("x"), fileName: "x.pdf")
                #expect(refused.status == .unprocessableEntity)
            }
            #expect(try await world.stranger.upload(path + "/documents?audience=shared", bytes: SampleFiles.pdf("x"), fileName: "x.pdf").status == .notFound)
            #expect(try await world.otherCourt.upload(path + "/documents?audience=shared", bytes: SampleFiles.pdf("x"), fileName: "x.pdf").status == .notFound)
            #expect(try await MediationDocument.query(on: app.db).count() == 4)

            // (who, shared, plaintiffs', defendants', mediator's own)
            let reads: [(TestBrowser, Bool, Bool, Bool, Bool)] = [
                (world.madrid, true, true, false, false), (world.rome, true, true, false, false), (world.wenzhou, true, false, true, false),
                (world.mediator, true, true, true, true), (world.judge, true, false, false, false), (world.clerk, true, false, false, false),
                (world.stranger, false, false, false, false), (world.otherCourt, false, false, false, false),
            ]
            for (browser, readsShared, readsPlaintiffs, readsDefendants, readsOwn) in reads {
                for (paper, allowed, text) in [(shared, readsShared, "loan contract"), (plaintiffs, readsPlaintiffs, "what we would settle for"),
                                               (defendants, readsDefendants, "our bank statements"), (mediatorOwn, readsOwn, "mediator's working notes")] {
                    let answer = try await browser.get(paper)
                    #expect(answer.status == (allowed ? .ok : .notFound))
                    if allowed { #expect(answer.bytes == SampleFiles.pdf(text)) }
                }
                let page = try await browser.get(path)
                if readsShared {
                    #expect(page.body.contains(String(plaintiffs.split(separator: "/").last!)) == readsPlaintiffs)
                    #expect(page.body.contains(String(defendants.split(separator: "/").last!)) == readsDefendants)
                }
            }
            // The request's application and evidence are served on every party; the filer's identity
            // document and contact sheet stay with the court.
            let matter = try #require(try await Matter.query(on: app.db).filter(\.$code == MediationCourts.mediationMatter).first())
            #expect(MediationCourts.servedMaterials.map { matter.materials[$0].nameEn }.sorted() == ["Application for mediation", "Evidence"])
            let materials = try await CaseDocument.query(on: app.db).filter(\.$purpose == .material).all()
            let mediationID = String(path.dropFirst("/mediations/".count))
            for material in materials {
                let url = "/mediations/\(mediationID)/request-papers/\(material.id!.uuidString.lowercased())"
                let served = MediationCourts.servedMaterials.contains(material.materialIndex ?? -1)
                for browser in [world.wenzhou, world.rome, world.mediator] {
                    let answer = try await browser.get(url)
                    #expect(answer.status == (served ? .ok : .notFound))
                    if served { #expect(answer.bytes == SampleFiles.pdf("material \(material.materialIndex!)")) }
                }
                #expect(try await world.stranger.get(url).status == .notFound)
                #expect(try await world.wenzhou.get(path).body.contains(url) == served)
            }
            // A paper for the court (an identity document): the own side and every official, never the other side.
            let identity = try await Self.paper(world.wenzhou, path, audience: "defendant_court", "passport of the company's director")
            for (browser, allowed) in [(world.wenzhou, true), (world.judge, true), (world.clerk, true), (world.mediator, true),
                                       (world.madrid, false), (world.rome, false), (world.stranger, false)] {
                #expect(try await browser.get(identity).status == (allowed ? .ok : .notFound))
            }
            #expect(try await world.madrid.upload(path + "/documents?audience=defendant_court", bytes: SampleFiles.pdf("x"), fileName: "x.pdf").status == .unprocessableEntity)
            // A paper of another mediation's id under this path is the same 404.
            #expect(try await world.madrid.get(path + "/documents/" + UUID().uuidString).status == .notFound)
            // Stored encrypted: no file in the store holds the words.
            let store = app.dependencies.documents.directory
            for name in (try FileManager.default.contentsOfDirectory(atPath: store)) where name != "incoming" {
                let raw = try Data(contentsOf: URL(fileURLWithPath: store + "/" + name))
                #expect(raw.range(of: Data("bank statements".utf8)) == nil)
            }
            // Officials' reading is in the audit log, and in the parties' access log.
            let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "mediation.document_viewed").count()
            #expect(audited >= 4)
            let accessLog = try await world.wenzhou.get("/account/access-log")
            #expect(accessLog.body.contains("Opened a paper of the mediation") && accessLog.body.contains("Opened the mediation"))

            // After the mediation ends nothing is added, and nothing is left behind in the store.
            #expect(try await world.wenzhou.post(path + "/refusal", ["reason": "We will go to court."]).status == .seeOther)
            let before = try FileManager.default.contentsOfDirectory(atPath: store).count
            #expect(try await world.madrid.upload(path + "/documents?audience=shared", bytes: SampleFiles.pdf("late"), fileName: "late.pdf").status == .conflict)
            #expect(try FileManager.default.contentsOfDirectory(atPath: store).count == before)
            #expect(try await world.madrid.get(shared).status == .ok)

            // A new master key reaches the mediation's papers too.
            let newKey = MasterKey(id: "k-mediation", key: SymmetricKey(size: .bits256))
            let keys = app.dependencies.documents.keys
            _ = try await DocumentKeyRotation.rewrapAll(on: app.db, keys: DocumentKeys(current: newKey, all: keys.all.merging([newKey.id: newKey.key]) { $1 }))
            #expect(try await MediationDocument.query(on: app.db).all().allSatisfy { $0.wrappedKey.masterKeyID == "k-mediation" })
        }
    }

    @Test("A party names an agent under a power of attorney: the agent reads that side's papers and signs where the mandate allows; never the other side's, never after it ends")
    func agents() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            let path = try await MediationAgreementTests.served(world)
            let lawyerEmail = Inbox.uniqueAddress("lawyer")
            let lawyerAccount = try await TestAccounts.make(app, email: lawyerEmail, totpSecret: testSecret(79))
            let lawyer = TestBrowser(app)
            try await lawyer.signIn(lawyerEmail, totp: testSecret(79), clock: clock)
            let plaintiffs = try await Self.paper(world.madrid, path, audience: "plaintiff", "what we would settle for")
            let defendants = try await Self.paper(world.wenzhou, path, audience: "defendant", "our bank statements")
            #expect(try await lawyer.get(path).status == .notFound)

            // A mandate for other matters cannot be named; one covering the mediation can.
            let elsewhere = try await MandateFixtures.accepted(app, clock, principal: world.madridAccount, holder: lawyerAccount, matters: ["GA-PSB-001"])
            #expect(try await world.madrid.post(path + "/agent", ["mandate": elsewhere.id!.uuidString]).status == .unprocessableEntity)
            let mandate = try await MandateFixtures.accepted(app, clock, principal: world.madridAccount, holder: lawyerAccount,
                                                             matters: [MediationCourts.mediationMatter],
                                                             limits: MandateLimits(mayCollect: false, maySign: true, mayPay: false))
            let madridPage = try await world.madrid.get(path)
            #expect(madridPage.body.contains(mandate.id!.uuidString.lowercased()))
            // Only the party names their agent: another party cannot name Madrid's mandate, a stranger learns nothing.
            #expect(try await world.rome.post(path + "/agent", ["mandate": mandate.id!.uuidString]).status == .unprocessableEntity)
            #expect(try await world.stranger.post(path + "/agent", ["mandate": mandate.id!.uuidString]).status == .notFound)
            #expect(try await world.madrid.post(path + "/agent", ["mandate": mandate.id!.uuidString]).status == .seeOther)
            #expect(try await Inbox.latest(app, to: lawyerEmail, subject: "agent").text.contains(path))

            let lawyerPage = try await lawyer.get(path)
            #expect(lawyerPage.status == .ok)
            #expect(lawyerPage.body.contains("You act for") && lawyerPage.body.contains("(represented by you)"))
            // The case stays the filer's: no link to it for the agent. Everyone sees who the agent is.
            #expect(!lawyerPage.body.contains("/cases/"))
            #expect(try await world.wenzhou.get(path).body.contains("Agent: 李四"))
            #expect(try await lawyer.get(plaintiffs).status == .ok)
            #expect(try await lawyer.get(defendants).status == .notFound)
            #expect(try await lawyer.post(path + "/agent", ["mandate": ""]).status == .forbidden)
            // Even under a mandate that allows signing, withdrawing the filer's own request is the filer's alone.
            #expect(try await lawyer.post(path + "/refusal", ["reason": "Withdrawn by the agent."]).status == .forbidden)
            #expect(!lawyerPage.body.contains("/refusal"))
            #expect(try await lawyer.get("/mediations").body.contains(path))
            // The mandate's page leads the agent to the mediation, not to a new request.
            let mandatePage = try await lawyer.get("/mandates/\(mandate.id!.uuidString.lowercased())")
            #expect(mandatePage.body.contains("href=\"\(path)\"") && !mandatePage.body.contains("/matters/JU-CT-001/apply"))
            // The mandate allows signing: the agent signs the agreement for Madrid, with their own second factor.
            #expect(try await world.mediator.post(path + "/agreement", pairs: MediationAgreementTests.terms()).status == .seeOther)
            let version = try #require(try await MediationAgreement.query(on: app.db).first())
            clock.advance(by: 31)
            #expect(try await MediationAgreementTests.sign(lawyer, path, secret: 79, sha256: version.sha256, clock: clock).status == .seeOther)
            let signature = try #require(try await AgreementSignature.query(on: app.db).with(\.$party).first())
            #expect(signature.party.$account.id == world.madridAccount.id)

            // The other side cannot name the plaintiffs' agent, nor a party, as theirs.
            let wenzhouAccount = try #require(try await Account.query(on: app.db).filter(\.$email == world.wenzhouEmail).first())
            let crossing = try await MandateFixtures.accepted(app, clock, principal: wenzhouAccount, holder: lawyerAccount, matters: [MediationCourts.mediationMatter])
            #expect(try await world.wenzhou.post(path + "/agent", ["mandate": crossing.id!.uuidString]).status == .unprocessableEntity)
            let romeAccount = try #require(try await Account.query(on: app.db).filter(\.$email == world.romeEmail).first())
            let party = try await MandateFixtures.accepted(app, clock, principal: wenzhouAccount, holder: romeAccount, matters: [MediationCourts.mediationMatter])
            #expect(try await world.wenzhou.post(path + "/agent", ["mandate": party.id!.uuidString]).status == .unprocessableEntity)
            #expect(try await lawyer.get(defendants).status == .notFound)

            // Nor someone another party only invited so far: the invitation's address is who will accept it.
            let invitedEmail = Inbox.uniqueAddress("double")
            let invitedAccount = try await TestAccounts.make(app, email: invitedEmail, totpSecret: testSecret(80))
            var invitations: [Mandate] = []
            for principal in [romeAccount, wenzhouAccount] {
                let invitation = try await MandateFixtures.accepted(app, clock, principal: principal, holder: invitedAccount, matters: [MediationCourts.mediationMatter])
                invitation.status = .invited
                invitation.$proxyAccount.id = nil
                try await invitation.update(on: app.db)
                invitations.append(invitation)
            }
            #expect(try await world.rome.post(path + "/agent", ["mandate": invitations[0].id!.uuidString]).status == .seeOther)
            #expect(try await world.wenzhou.post(path + "/agent", ["mandate": invitations[1].id!.uuidString]).status == .unprocessableEntity)
            // Named by both sides anyway (rows written around the check), once accepted they speak for neither.
            let wenzhouParty = try #require(try await MediationParty.query(on: app.db).filter(\.$email == world.wenzhouEmail).first())
            wenzhouParty.$mandate.id = invitations[1].id
            try await wenzhouParty.update(on: app.db)
            for invitation in invitations {
                invitation.status = .accepted
                invitation.$proxyAccount.id = try invitedAccount.requireID()
                try await invitation.update(on: app.db)
            }
            let double = TestBrowser(app)
            try await double.signIn(invitedEmail, totp: testSecret(80), clock: clock)
            #expect(try await double.get(path).status == .notFound)
            #expect(try await double.get(defendants).status == .notFound)

            // Once Wenzhou's naming is gone they act for Rome alone, under a mandate that does not allow
            // signing: reading, yes; ending the mediation for Rome, no.
            wenzhouParty.$mandate.id = nil
            try await wenzhouParty.update(on: app.db)
            #expect(try await double.get(plaintiffs).status == .ok)
            #expect(try await double.get(defendants).status == .notFound)
            #expect(try await double.post(path + "/refusal", ["reason": "Rome will not mediate."]).status == .forbidden)
            #expect(!(try await double.get(path)).body.contains(path + "/refusal"), "the page offers no form the server refuses")
            #expect(try await Mediation.query(on: app.db).filter(\.$ending == nil).count() == 1)

            // Revoking the mandate ends the agent's standing at once.
            mandate.status = .revoked
            mandate.revokedAt = clock.now
            try await mandate.update(on: app.db)
            #expect(try await lawyer.get(path).status == .notFound)
            #expect(try await lawyer.get(plaintiffs).status == .notFound)
            #expect(try await world.madrid.get(path).body.contains("cannot act for you now"))
            // Madrid stops the agent.
            #expect(try await world.madrid.post(path + "/agent", ["mandate": ""]).status == .seeOther)
            #expect(try await MediationParty.query(on: app.db).filter(\.$mandate.$id == mandate.id).count() == 0)
        }
    }
}
