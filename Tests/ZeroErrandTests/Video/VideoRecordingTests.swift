import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Video recordings and outcomes")
struct VideoRecordingTests {
    /// WebM starts with the EBML magic; the rest stands in for encoded media.
    static func chunk(_ index: Int, size: Int = 3000) -> [UInt8] {
        let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
        return index == 0 ? [0x1A, 0x45, 0xDF, 0xA3] + body : body
    }

    static func json(_ page: TestBrowser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.bytes)) as? [String: Any])
    }

    @Test("Recording needs everyone's consent; chunks are acknowledged in order, resumed after a drop, joined, hashed, encrypted and audited")
    func recording() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            let sid = try session.requireID().uuidString.lowercased()
            let base = "/video/\(sid)/recordings"

            let early = try await world.clerk.json(.POST, base, ["mimeType": "video/webm;codecs=vp8,opus"])
            #expect(early.status == .conflict)
            #expect(try Self.json(early)["error"].debugDescription.contains("agree"))
            let mine = try Self.json(try await world.citizen.json(.POST, "/video/\(sid)/consent"))["consent"] as? [String: Any]
            #expect(mine?["mine"] as? Bool == true && mine?["complete"] as? Bool == false)
            // The official is waited for, unnamed: the citizen's page says "Official" in its own language.
            #expect((mine?["pending"] as? [String]) == [""])
            #expect(try await world.citizen.json(.POST, base, ["mimeType": "video/webm"]).status == .notFound)
            #expect(try await world.clerk.json(.POST, "/video/\(sid)/consent").status == .ok)
            #expect(try await world.clerk.json(.POST, base, ["mimeType": "text/html"]).status == .unprocessableEntity)
            let started = try await world.clerk.json(.POST, base, ["mimeType": "video/webm;codecs=vp8,opus"])
            #expect(started.status == .created)
            let rid = try #require(try Self.json(started)["id"] as? String)
            // Nobody joins a call being recorded without having agreed.
            _ = try await VideoRoomTests.staff(app, clock, department: "wz-psb-wuma")
            let colleague = try #require(try await Account.query(on: app.db).filter(\.$department.$id == session.$department.id)
                .filter(\.$roles == [.clerk]).first())
            let invite = try await world.clerk.post("/office/video/\(sid)/participants", ["account": try colleague.requireID().uuidString])
            #expect(invite.status == .conflict && invite.body.contains("stop the recording first"))
            let participants = try await VideoParticipant.query(on: app.db).filter(\.$session.$id == session.requireID()).all()
            #expect(participants.allSatisfy { $0.consentedAt != nil })

            let chunks = (0..<3).map { Self.chunk($0) }
            #expect(try await world.clerk.putBytes("\(base)/\(rid)/chunks/0", chunks[0]).status == .ok)
            let skipped = try await world.clerk.putBytes("\(base)/\(rid)/chunks/2", chunks[2])
            #expect(skipped.status == .conflict)
            #expect(try Self.json(skipped)["nextChunk"] as? Int == 1)
            #expect(try await world.clerk.putBytes("\(base)/\(rid)/chunks/1", chunks[1]).status == .ok)
            // The acknowledgement was lost and the recorder sends chunk 1 again: nothing is stored twice.
            let resent = try await world.clerk.putBytes("\(base)/\(rid)/chunks/1", chunks[1])
            #expect(try Self.json(resent)["nextChunk"] as? Int == 2)
            // After a dropped connection the recorder asks where to resume.
            #expect(try Self.json(try await world.clerk.json(.GET, "\(base)/\(rid)"))["nextChunk"] as? Int == 2)
            #expect(try await world.clerk.putBytes("\(base)/\(rid)/chunks/2", chunks[2]).status == .ok)
            #expect(try await world.citizen.putBytes("\(base)/\(rid)/chunks/3", chunks[2]).status == .notFound)

            let whole = chunks.flatMap { $0 }
            let wrong = try await world.clerk.json(.POST, "\(base)/\(rid)/finish", ["chunks": 3, "sha256": String(repeating: "0", count: 64)])
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await VideoRecording.find(UUID(uuidString: rid), on: app.db)?.status == .recording)
            let finished = try await world.clerk.json(.POST, "\(base)/\(rid)/finish", ["chunks": 3, "sha256": SampleFiles.sha256(whole)])
            #expect(finished.status == .ok)
            #expect(try Self.json(finished)["sha256"] as? String == SampleFiles.sha256(whole))
            #expect(try Self.json(finished)["bytes"] as? Int == whole.count)

            let stored = try #require(try await VideoRecording.find(UUID(uuidString: rid), on: app.db))
            #expect(stored.status == .complete && stored.sha256 == SampleFiles.sha256(whole))
            #expect(try await VideoRecordingChunk.query(on: app.db).count() == 0)
            let onDisk = try #require(FileManager.default.contents(atPath: app.dependencies.config.dataDirectory + "/documents/" + (stored.storageName ?? "")))
            #expect(!onDisk.isEmpty && onDisk.range(of: Data(chunks[1].prefix(64))) == nil)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "video.recording_stored").first())
            #expect(event.details.contains(SampleFiles.sha256(whole)))
            #expect(try await world.citizen.get("/cases/\(caseID)").body.contains("Video session recorded"))

            // Staff of the office download it (audited); the citizen and other offices cannot.
            let download = try await world.clerk.get("/office/video/\(sid)/recordings/\(rid)")
            #expect(download.status == .ok)
            #expect(download.bytes == whole)
            #expect(download.headers.first(name: .contentType) == "video/webm")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "video.recording_viewed").count() == 1)
            // A player seeks with ranges: each gets its bytes, and the same person's viewing is one
            // entry in ten minutes; a range of any kind after that is a viewing again.
            let recording = "/office/video/\(sid)/recordings/\(rid)"
            let seek = try await world.clerk.get(recording, headers: ["Range": "bytes=100-"])
            #expect(seek.status == .partialContent && seek.bytes == Array(whole[100...]))
            #expect(try await world.clerk.get(recording, headers: ["Range": "bytes=0-99"]).bytes == Array(whole[0..<100]))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "video.recording_viewed").count() == 1)
            clock.advance(by: CaseAccess.viewedAgainAfter + 1)
            try await world.base.signInAgain()
            #expect(try await world.clerk.get(recording, headers: ["Range": "bytes=1-"]).status == .partialContent)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "video.recording_viewed").count() == 2)
            #expect(try await world.citizen.get(recording, headers: ["Range": "bytes=100-"]).status == .forbidden)
            // The citizen sees that the office watched it (by office and role, not by name).
            let accessLog = try await world.citizen.get("/account/access-log")
            #expect(accessLog.body.contains("Watched or downloaded the recording") && !accessLog.body.contains(world.base.clerkAccount.displayName))
            #expect(try await world.citizen.get("/office/video/\(sid)/recordings/\(rid)").status == .forbidden)
            let elsewhere = try await VideoRoomTests.staff(app, clock, department: "wz-psb-liao")
            let refused = try await elsewhere.get("/office/video/\(sid)/recordings/\(rid)")
            #expect(refused.status == .notFound && refused.bytes != whole)
            #expect(try await world.clerk.get("/video/\(sid)").body.contains(SampleFiles.sha256(whole)))

            // Retention: government matters keep recordings three years; then the command deletes them.
            #expect(try await RecordingExpiry.run(app) == (0, 0))
            clock.advance(by: 1096 * 86400)
            #expect(try await RecordingExpiry.run(app) == (1, 0))
            #expect(try await VideoRecording.find(UUID(uuidString: rid), on: app.db)?.status == .purged)
            #expect(!FileManager.default.fileExists(atPath: app.dependencies.config.dataDirectory + "/documents/" + (stored.storageName ?? "")))
            try await world.base.signInAgain()
            #expect(try await world.clerk.get("/office/video/\(sid)/recordings/\(rid)").status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "video.recording_purged").count() == 1)
        }
    }

    @Test("Identity confirmed by video: the outcome is on the case, the citizen reaches level 3, the case moves on, the room closes")
    func identityConfirmed() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            let sid = try session.requireID().uuidString.lowercased()
            #expect(try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": ""]).status == .unprocessableEntity)
            #expect(try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "maybe", "note": "x"]).status == .unprocessableEntity)
            #expect(try await VideoSession.find(session.requireID(), on: app.db)?.status == .booked)

            let note = "本人与护照照片一致；申请人确认申请。"
            let confirm = { try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": note]) }
            // Before the appointment, with nobody in the room: refused, and nothing changes.
            let early = try await confirm()
            #expect(early.status == .conflict && early.body.contains("Identity can be confirmed only in the call itself"))
            #expect(try await Account.find(world.base.citizenAccount.requireID(), on: app.db)?.identityVerifiedAt == nil)

            clock.advance(by: session.startsAt.timeIntervalSince(clock.now))
            try await world.base.signInAgain()
            let port = try await app.startServer()
            let citizen = try await SignalClient.connect(app, port: port, session: try session.requireID(), as: world.citizen)
            #expect(try await citizen.next("welcome") != nil)
            clock.advance(by: 120)
            // The citizen waited alone: the official was never there.
            #expect(try await confirm().body.contains("at least 60 seconds"))
            let clerk = try await SignalClient.connect(app, port: port, session: try session.requireID(), as: world.clerk)
            #expect(try await clerk.next("welcome") != nil)
            clock.advance(by: 59)
            #expect(try await confirm().status == .conflict)
            clock.advance(by: 1)

            #expect(try await confirm().status == .seeOther)
            let verified = try #require(try await Account.find(world.base.citizenAccount.requireID(), on: app.db))
            #expect(verified.identityVerifiedBy == world.base.clerkAccount.id && verified.identityVerifiedDepartment == session.$department.id)
            let ended = try #require(try await VideoSession.find(session.requireID(), on: app.db))
            #expect(ended.status == .completed && ended.outcome == .identityConfirmed && ended.slotKey == nil && ended.activeKey == nil)
            #expect(try await Account.find(world.base.citizenAccount.requireID(), on: app.db)?.identityLevel == .videoVerified)
            #expect(try await Case.find(caseID, on: app.db)?.status == .accepted)
            let casePage = try await world.citizen.get("/cases/\(caseID)")
            #expect(casePage.body.contains("Identity confirmed by video") && casePage.body.contains(note))
            #expect(try await Inbox.all(app, to: world.base.citizenAccount.email).contains { $0.text.contains("confirmed by video") })
            #expect(try await world.citizen.get("/video/\(sid)").body.contains("has ended or was cancelled"))
            #expect(try await world.citizen.get("/cases/\(caseID)/video").body.contains("already confirmed"))
            #expect(try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": note]).status == .conflict)
        }
    }

    @Test("An applicant who did not attend can book again")
    func absentMayRebook() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            #expect(try await world.clerk.post("/office/video/\(try session.requireID())/outcome",
                                                ["outcome": "applicant_absent", "note": "Waited 20 minutes."]).status == .seeOther)
            #expect(try await Case.find(caseID, on: app.db)?.status == .submitted)
            #expect(try await Account.find(world.base.citizenAccount.requireID(), on: app.db)?.identityVerifiedAt == nil)
            let page = try await world.citizen.get("/cases/\(caseID)/video")
            #expect(page.body.contains("Applicant did not attend"))
            #expect(page.body.contains("name=\"start\""))
        }
    }
}
