import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A police station that takes video appointments, a clerk who publishes hours, and a citizen
/// (in Europe/Paris) with a submitted application for a matter done by video.
struct VideoWorld {
    let base: CaseWorld
    var app: Application { base.app }
    var clock: ManualClock { base.clock }
    var citizen: TestBrowser { base.citizen }
    var clerk: TestBrowser { base.clerk }

    /// Proof of kinship: online, by proxy or by video; identity confirmed by video (level 3).
    static let matterCode = "GA-PSB-007"

    /// Sets the clock first when `at` is given, so everyone signs in at that moment.
    static func make(_ app: Application, _ clock: ManualClock, at start: Date? = nil) async throws -> VideoWorld {
        if let start { clock.advance(by: start.timeIntervalSince(clock.now)) }
        return VideoWorld(base: try await CaseWorld.make(app, clock, matterCode: matterCode))
    }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Publishes the clerk's hours; answers what the form answered.
    @discardableResult
    func publish(weekdays: [Int], from: String, to: String, slot: Int = 30, firstDay: String, lastDay: String,
                 intent: String? = nil, as browser: TestBrowser? = nil) async throws -> TestBrowser.Page {
        try await (browser ?? clerk).post("/office/video/availability", pairs: weekdays.map { ("weekdays[]", String($0)) } + [
            ("from", from), ("to", to), ("slot", String(slot)), ("firstDay", firstDay), ("lastDay", lastDay),
        ] + (intent.map { [("intent", $0)] } ?? []))
    }

    /// Another citizen, signed in, with a submitted application of their own.
    func anotherCitizen(_ name: String = "other") async throws -> (TestBrowser, UUID) {
        let email = Inbox.uniqueAddress(name)
        let secret = testSecret(UInt8.random(in: 70...200))
        try await TestAccounts.make(app, email: email, totpSecret: secret)
        let browser = TestBrowser(app)
        try await browser.signIn(email, totp: secret, clock: clock)
        return (browser, try await submit(by: browser))
    }

    func submit(by browser: TestBrowser) async throws -> UUID {
        let created = try await browser.post("/matters/\(Self.matterCode)/apply", ["details": "亲属关系证明，用于在意大利办理家庭团聚。"])
        let id = try #require(created.caseID)
        for index in base.matter.materials.indices where !base.matter.materials[index].canSupplyLater && base.matter.materials[index].condition == nil {
            let uploaded = try await browser.upload("/cases/\(id)/documents?purpose=material&material=\(index)",
                                                    bytes: SampleFiles.pdf("material \(index)"), fileName: "m\(index).pdf")
            #expect(uploaded.status == .created)
        }
        #expect(try await browser.post("/cases/\(id)/actions/submit").status == .seeOther)
        return id
    }

    func book(_ caseID: UUID, at start: Date, by browser: TestBrowser? = nil, replacing: UUID? = nil) async throws -> TestBrowser.Page {
        var fields = ["start": String(Int(start.timeIntervalSince1970))]
        if let replacing { fields["replacing"] = replacing.uuidString }
        return try await (browser ?? citizen).post("/cases/\(caseID)/video", fields)
    }

    func activeSession(_ caseID: UUID) async throws -> VideoSession {
        try #require(try await VideoSession.query(on: app.db).filter(\.$caseRecord.$id == caseID).filter(\.$status == .booked).first())
    }

    /// Hours 09:00–10:00 (Shanghai) three days from now, published by the clerk or by each of
    /// `publishers` (two officials give two sessions at once); answers that day's 09:00.
    func nineOClockSlot(publishedBy publishers: [TestBrowser]? = nil) async throws -> Date {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let day = CivilDay(clock.now, in: shanghai).adding(days: 3)
        for browser in publishers ?? [clerk] {
            try await publish(weekdays: Array(1...7), from: "09:00", to: "10:00", firstDay: day.description, lastDay: day.description, as: browser)
        }
        return day.startOfDay(in: shanghai).addingTimeInterval(9 * 3600)
    }

    /// The Madrid service point, opened round the clock so that any office slot is in its hours.
    @discardableResult
    func madridOpenAllDay() async throws -> ServicePoint {
        let madrid = try #require(try await ServicePoint.query(on: app.db).filter(\.$code == "es-madrid").first())
        madrid.hours = "mon-sun 00:00-24:00"
        try await madrid.update(on: app.db)
        return madrid
    }

    /// A submitted application with an appointment at the next 09:00 office slot at least two days away.
    func bookedSession() async throws -> (caseID: UUID, session: VideoSession) {
        let start = try await nineOClockSlot()
        let caseID = try await base.submittedCase()
        #expect(try await book(caseID, at: start).status == .seeOther)
        return (caseID, try await activeSession(caseID))
    }
}
