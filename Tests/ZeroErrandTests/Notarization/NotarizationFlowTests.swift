import Crypto
import Fluent
import Foundation
import Testing
import Vapor
import X509
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Remote notarization: review, video certification, online signing, sealed certificate", .serialized)
struct NotarizationFlowTests {
    @Test("A property power of attorney end to end: nothing skipped, the certificate printed, sealed, numbered and journaled")
    func endToEnd() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await NotarizationWorld.make(app, clock)
            let caseID = world.caseID
            // Before the session is open nothing can be signed, and nothing issued before certification.
            let early = try await world.sign()
            #expect(early.status == .conflict && early.body.contains("has not opened the video certification"))
            #expect(try await world.notary.post(world.step("issue")).status == .conflict)
            // The generic decision buttons do not bypass the act.
            let generic = try await world.notary.post("/office/cases/\(caseID)/actions/approve", ["text": "ok"])
            #expect(generic.status == .conflict && generic.body.contains("notarization panel"))
            // The certification opens at the appointment, not an hour before it.
            let tooEarly = try await world.notary.post(world.step("open"))
            #expect(tooEarly.status == .conflict && tooEarly.body.contains("five minutes before"))

            let (citizenSocket, notarySocket) = try await world.joinCall()
            #expect(try await world.notary.post(world.step("open")).status == .seeOther)
            // The sign page shows the exact text and its fingerprint.
            let page = try await world.citizen.get("/cases/\(caseID)/notarization/sign")
            #expect(page.status == .ok && page.body.contains("张亮") && page.body.contains(world.documentSHA256))
            // A text other than the one shown is refused, and spends no code.
            let stale = try await world.sign(sha256: String(repeating: "a", count: 64))
            #expect(stale.status == .conflict && stale.body.contains("changed after it was shown"))
            // Certifying before the signature is refused.
            try await world.record()
            clock.advance(by: 120)
            let unsigned = try await world.notary.post(world.step("certify"), ["identityConfirmed": "on", "willStated": "on"])
            #expect(unsigned.status == .conflict && unsigned.body.contains("signature is still missing"))

            // A blank pad or bytes that are no PNG are refused before anything is stored or signed.
            let blank = try PDFTools.png(svg: #"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"></svg>"#)
            let refusedBlank = try await world.sign(drawing: blank)
            #expect(refusedBlank.status == .unprocessableEntity && refusedBlank.body.contains("blank"))
            #expect(try await world.sign(drawing: Array("<script>alert(1)</script>".utf8)).status == .unprocessableEntity)
            let box = try PDFTools.png(svg: #"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><rect width="600" height="200"/></svg>"#)
            #expect(try await world.sign(drawing: box).status == .unprocessableEntity, "a filled box is no signature")
            #expect(try await Signature.query(on: app.db).filter(\.$objectType == "notarization").count() == 0)
            let signed = try await world.sign(drawing: try NotarizationWorld.drawnSignature())
            #expect(signed.status == .seeOther)
            let signature = try #require(try await Signature.query(on: app.db).filter(\.$objectType == "notarization").first())
            #expect(signature.sha256 == world.documentSHA256 && signature.videoSessionID == world.session.id && signature.identityLevel == 2)
            #expect(try await SignatureDrawing.query(on: app.db).filter(\.$signature.$id == signature.requireID()).count() == 1)
            #expect(try await world.sign().status == .conflict, "a second signature on the same version is refused")

            // Will not confirmed: refused; then certified, which ends the session and raises the level.
            let noWill = try await world.notary.post(world.step("certify"), ["identityConfirmed": "on"])
            #expect(noWill.status == .conflict)
            #expect(try await world.notary.post(world.step("certify"), ["identityConfirmed": "on", "willStated": "on"]).status == .seeOther)
            #expect(try await VideoSession.find(world.session.id, on: app.db)?.status == .completed)
            #expect(try await Account.find(world.video.base.citizenAccount.id, on: app.db)?.identityLevel == .videoVerified)
            try await citizenSocket.close()
            try await notarySocket.close()

            // Revising the document after approval is refused; approval and issue.
            #expect(try await world.notary.post(world.step("approve"), ["text": "材料齐全，意思表示真实。"]).status == .seeOther)
            #expect(try await Case.find(caseID, on: app.db)?.status == .approved)
            let revised = try await world.notary.post(world.step("prepare"), ["chinese": "改", "english": "changed"])
            #expect(revised.status == .conflict)
            #expect(try await world.notary.post(world.step("issue")).status == .seeOther)
            #expect(try await Case.find(caseID, on: app.db)?.status == .resultIssued)
            let certificate = try #require(try await world.certificate())
            let year = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).year
            #expect(certificate.number == "(\(year))浙温证字第1号")

            // The citizen downloads it at once; the PDF says what it should and reads in every tool.
            let panel = try await world.citizen.get("/cases/\(caseID)")
            #expect(panel.body.contains(certificate.number))
            let download = try await world.citizen.get("/cases/\(caseID)/documents/\(certificate.$document.id)")
            #expect(download.status == .ok)
            let pdf = download.bytes
            #expect(SampleFiles.sha256(pdf) == certificate.pdfSHA256)
            let text = try PDFTools.text(pdf)
            for expected in ["公证书", certificate.number, "张亮", "Notarial Certificate", "(\(year)) Zhe Wen Zheng Zi No. 1", "温州市公证处"] {
                #expect(text.contains(expected), "certificate text lacks \(expected)")
            }
            #expect(try PDFTools.qpdfCheck(pdf))
            // The number as either page prints it, or typed with full-width brackets, finds it.
            let code = try #require(text.firstMatch(of: /[A-Z2-9]{5}-[A-Z2-9]{5}/)).output
            for typed in ["(\(year)) Zhe Wen Zheng Zi No. 1", "（\(year)）浙温证字第1号", certificate.number] {
                let answer = try await TestBrowser(app).json(.POST, "/api/v1/verifications/number", ["number": typed, "code": String(code)])
                #expect(answer.body.contains("\"verdict\":\"genuine\""), "\(typed): \(answer.body)")
            }
            let codes = try PDFTools.qrCodes(pdf)
            #expect(!codes.isEmpty && codes.allSatisfy { $0.contains("/verify/qr#") })
            let payload = try #require(codes.first.flatMap { $0.split(separator: "#").last }.map(String.init))
            let keys = try await SealKey.query(on: app.db).filter(\.$kind == .office).all()
                .map { try Certificate(pemEncoded: $0.certificatePEM) }.compactMap { P256.Signing.PublicKey($0.publicKey) }
            guard case .genuine(let fields) = CertificateQRPayload.verify(payload, against: keys) else {
                Issue.record("the QR payload does not verify"); return
            }
            #expect(fields.certificateNumber == certificate.number && fields.documentSHA256.hex == world.documentSHA256)
            let report = try PDFTools.pdfsig(pdf)
            #expect(report.contains("Signature is Valid.") && report.contains("Total document signed") && report.contains("温州市公证处"))
            var altered = pdf
            altered[altered.count / 3] ^= 0x01
            #expect(!(try PDFTools.pdfsig(altered)).contains("Signature is Valid."))

            // The journal: one act entry with the recording hash and the signature.
            let journal = try await NotarialJournalEntry.query(on: app.db).all()
            #expect(journal.count == 1 && journal.first?.sequence == 1 && journal.first?.kind == .act)
            let facts = try NotarialJournal.facts(of: try #require(journal.first), secrets: app.dependencies.secrets)
            #expect(facts.signatures.count == 1 && !facts.recordingSHA256.isEmpty && facts.certificate == certificate.number && facts.feeFen == 20000)
            let journalPage = try await world.notary.get("/office/notary-journal")
            #expect(journalPage.status == .ok && journalPage.body.contains(certificate.number) && !journalPage.body.contains("totp"))
            #expect(try await world.citizen.get("/office/notary-journal").status != .ok)
            // A mistake is corrected by a new entry; the first stays as written, and no other office can add one.
            let first = try #require(journal.first)
            let correctionPath = "/office/notary-journal/\(try first.requireID())/corrections"
            let elsewhere = try await VideoRoomTests.staff(app, clock, department: "lc-notary")
            #expect(try await elsewhere.post(correctionPath, ["text": "x"]).status == .notFound)
            #expect(try await world.notary.post(correctionPath, ["text": ""]).status == .unprocessableEntity)
            #expect(try await world.notary.post(correctionPath, ["text": "收费应为200元，已核对。"]).status == .seeOther)
            let correction = try #require(try await NotarialJournalEntry.query(on: app.db).filter(\.$kind == .correction).first())
            #expect(correction.sequence == 2 && correction.correctsID == first.id)
            #expect(try await NotarialJournalEntry.find(first.id, on: app.db)?.facts == first.facts)
            #expect(try await world.notary.get("/office/notary-journal").body.contains("收费应为200元"))

            // Nothing is produced or collected at a counter: the certificate is downloaded or posted.
            let counter = try await world.notary.post("/office/cases/\(caseID)/actions/record_collection", ["text": "张明"])
            #expect(counter.status == .conflict)
            // Paper copy by post (the office reads the address), then revocation (audited), each on the timeline.
            #expect(try await world.citizen.post("/cases/\(caseID)/certificate/delivery", ["address": "Via Roma 1, 00100 Roma, Italia, +39 06 000000"]).status == .seeOther)
            #expect(try await world.notary.get("/office/cases/\(caseID)").body.contains("Via Roma 1, 00100 Roma"))
            #expect(try await world.notary.post(world.step("delivery_sent"), ["carrier": "EMS", "tracking": "EE123456789CN"]).status == .seeOther)
            #expect(try await world.notary.post(world.step("revoke"), ["text": ""]).status == .conflict)
            #expect(try await world.notary.post(world.step("revoke"), ["text": "申请人提供的房产证书已被注销。"]).status == .seeOther)
            let revoked = try #require(try await world.certificate())
            #expect(revoked.revokedAt != nil && revoked.revokedReason == "申请人提供的房产证书已被注销。")
            #expect(try await NotarialJournalEntry.query(on: app.db).filter(\.$kind == .revocation).count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "notarization.revoke").count() == 1)
            #expect(try await world.citizen.get("/cases/\(caseID)").body.contains("申请人提供的房产证书已被注销"))
        }
    }

    @Test("Only the applicant signs, only the case's notary office acts, and a clerk without the notary role cannot")
    func authorization() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await NotarizationWorld.make(app, clock)
            let caseID = world.caseID
            let strangerEmail = Inbox.uniqueAddress("stranger")
            try await TestAccounts.make(app, email: strangerEmail, totpSecret: testSecret(77))
            let stranger = TestBrowser(app)
            try await stranger.signIn(strangerEmail, totp: testSecret(77), clock: clock)
            #expect(try await stranger.get("/cases/\(caseID)/notarization/sign").status == .notFound)
            #expect(try await stranger.post("/cases/\(caseID)/notarization/sign", ["sha256": world.documentSHA256, "code": "000000"]).status == .notFound)
            #expect(try await stranger.post("/cases/\(caseID)/certificate/delivery", ["address": "somewhere far away 123"]).status == .notFound)
            #expect(try await stranger.post(world.step("open")).status == .forbidden)
            let elsewhere = try await VideoRoomTests.staff(app, clock, department: "wz-psb-wuma")
            for step in ["prepare", "open", "certify", "approve", "issue", "revoke", "delivery_sent"] {
                #expect(try await elsewhere.post(world.step(step), ["text": "x"]).status == .notFound, "\(step) from another office")
            }
            #expect(try await elsewhere.get("/office/notary-journal").status == .notFound)
            let clerk = try await VideoRoomTests.staff(app, clock, department: "wz-notary")
            #expect(try await clerk.post(world.step("open")).status == .forbidden)
            // A supervisor reads the case but does not act in the notary's place.
            let supervisorEmail = Inbox.uniqueAddress("supervisor")
            try await TestAccounts.make(app, email: supervisorEmail, kind: .staff, roles: [.clerk, .supervisor], departmentCode: "wz-notary",
                                        totpSecret: testSecret(93))
            let supervisor = TestBrowser(app)
            try await supervisor.signIn(supervisorEmail, totp: testSecret(93), clock: clock)
            #expect(try await supervisor.get("/office/cases/\(caseID)").status == .ok)
            let refused = try await supervisor.post(world.step("prepare"), ["chinese": "改", "english": "changed"])
            #expect(refused.status == .forbidden)
            #expect(try await Notarization.query(on: app.db).first()?.documentText == NotarizationWorld.chinese)
            #expect(try await world.notary.post("/office/cases/\(caseID)/notarization/unknown").status == .notFound)
            #expect(try await Notarization.query(on: app.db).first()?.sessionID == nil)
        }
    }
}
