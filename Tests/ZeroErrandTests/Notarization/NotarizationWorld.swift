import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A notary office (wz-notary), its notary (who also supervises), and a citizen abroad with a
/// property power of attorney (JU-NO-001) submitted, a video appointment booked, and the case
/// in review with the document prepared.
struct NotarizationWorld {
    let video: VideoWorld
    let caseID: UUID
    let session: VideoSession
    var app: Application { video.app }
    var clock: ManualClock { video.clock }
    var citizen: TestBrowser { video.citizen }
    var notary: TestBrowser { video.clerk }
    var step: (String) -> String { { "/office/cases/\(caseID)/notarization/\($0)" } }

    static let matterCode = "JU-NO-001"
    static let chinese = "委托人张明（护照号码略）委托其弟张亮代为出售位于温州市鹿城区的房产一套，并办理相关登记手续。委托期限至2027年12月31日。"
    static let english = "The principal, Zhang Ming, authorises his brother Zhang Liang to sell his flat in Lucheng District, Wenzhou, and to complete its registration. This power of attorney is valid until 31 December 2027."

    static func make(_ app: Application, _ clock: ManualClock) async throws -> NotarizationWorld {
        let video = VideoWorld(base: try await CaseWorld.make(app, clock, matterCode: matterCode))
        // The office's official is a notary: only notaries take notarial steps.
        video.base.clerkAccount.roles = [.clerk, .notary, .supervisor]
        try await video.base.clerkAccount.update(on: app.db)
        let (caseID, session) = try await video.bookedSession()
        #expect(try await video.clerk.post("/office/cases/\(caseID)/actions/accept").status == .seeOther)
        #expect(try await video.clerk.post("/office/cases/\(caseID)/actions/start_review").status == .seeOther)
        let world = NotarizationWorld(video: video, caseID: caseID, session: session)
        let prepared = try await world.notary.post(world.step("prepare"), ["chinese": chinese, "english": english])
        #expect(prepared.status == .seeOther)
        return world
    }

    var documentSHA256: String { BilingualText.sha256(chinese: Self.chinese, english: Self.english) }

    /// The clock at the appointment, both signed in again and connected to the room.
    func joinCall() async throws -> (SignalClient, SignalClient) {
        clock.advance(by: session.startsAt.timeIntervalSince(clock.now) + 60)
        try await video.base.signInAgain()
        let port = try await app.startServer()
        let sid = try session.requireID()
        let citizenSocket = try await SignalClient.connect(app, port: port, session: sid, as: citizen)
        let notarySocket = try await SignalClient.connect(app, port: port, session: sid, as: notary)
        #expect(try await notarySocket.next("welcome") != nil)
        return (citizenSocket, notarySocket)
    }

    /// Consent from both, a recording of three chunks, finished with its hash; returns the hash.
    @discardableResult
    func record() async throws -> String {
        let sid = try session.requireID().uuidString.lowercased()
        let base = "/video/\(sid)/recordings"
        #expect(try await citizen.json(.POST, "/video/\(sid)/consent").status == .ok)
        #expect(try await notary.json(.POST, "/video/\(sid)/consent").status == .ok)
        let started = try await notary.json(.POST, base, ["mimeType": "video/webm;codecs=vp8,opus"])
        let rid = try #require(try VideoRecordingTests.json(started)["id"] as? String)
        let chunk = VideoRecordingTests.chunk(0)
        #expect(try await notary.putBytes("\(base)/\(rid)/chunks/0", chunk).status == .ok)
        #expect(try await notary.json(.POST, "\(base)/\(rid)/finish", ["chunks": 1, "sha256": SampleFiles.sha256(chunk)]).status == .ok)
        return SampleFiles.sha256(chunk)
    }

    func sign(sha256: String? = nil, drawing: [UInt8]? = nil, code: String? = nil) async throws -> TestBrowser.Page {
        var fields = ["sha256": sha256 ?? documentSHA256, "code": code ?? TOTP(secret: CaseWorld.citizenSecret).code(at: clock.now)]
        if let drawing { fields["drawing"] = "data:image/png;base64," + Data(drawing).base64EncodedString() }
        return try await citizen.post("/cases/\(caseID)/notarization/sign", fields)
    }

    static func drawnSignature() throws -> [UInt8] {
        try PDFTools.png(svg: """
        <svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><path d="M20 150 C 120 20, 180 20, 220 140 S 360 180, 420 60 L 580 120" \
        stroke="#111" stroke-width="6" fill="none"/></svg>
        """)
    }

    func certificate() async throws -> NotarialCertificate? {
        try await NotarialCertificate.query(on: app.db).filter(\.$caseRecord.$id == caseID).first()
    }
}
