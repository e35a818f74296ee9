import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Video appointments")
struct VideoBookingTests {
    @Test("Slots show in the citizen's zone and the office's, both named, across the European clock change; the invitation holds the UTC instant")
    func acrossClockChange() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock, at: VideoWorld.utc("2026-10-20T00:00:00Z"))
            // Fridays and Mondays 09:00–10:00 in Wenzhou; Paris leaves summer time on Sunday 25 October.
            #expect(try await world.publish(weekdays: [1, 5], from: "09:00", to: "10:00", firstDay: "2026-10-23", lastDay: "2026-10-26").status == .seeOther)
            let caseID = try await world.base.submittedCase()

            let page = try await world.citizen.get("/cases/\(caseID)/video")
            #expect(page.status == .ok)
            #expect(page.body.contains("2026-10-23 03:00 (Europe/Paris, UTC+02:00)"))
            #expect(page.body.contains("2026-10-23 09:00 (Asia/Shanghai, UTC+08:00)"))
            // Monday is in the next week of the citizen's calendar.
            let monday = try await world.citizen.get("/cases/\(caseID)/video?day=2026-10-26")
            #expect(monday.body.contains("2026-10-26 02:00 (Europe/Paris, UTC+01:00)"))
            #expect(monday.body.contains("2026-10-26 09:00 (Asia/Shanghai, UTC+08:00)"))

            #expect(try await world.book(caseID, at: VideoWorld.utc("2026-10-26T01:00:00Z")).status == .seeOther)
            let booked = try await world.citizen.get("/cases/\(caseID)/video")
            #expect(booked.body.contains("id=\"current-appointment\"><strong>2026-10-26 02:00 (Europe/Paris, UTC+01:00)</strong>"))
            #expect(try await world.citizen.get("/cases/\(caseID)").body.contains("2026-10-26 02:00 (Europe/Paris, UTC+01:00)"))

            let mail = try await Inbox.latest(app, to: world.base.citizenAccount.email, subject: "Video appointment booked")
            #expect(mail.text.contains("2026-10-26 02:00 (Europe/Paris, UTC+01:00)") && mail.text.contains("2026-10-26 09:00 (Asia/Shanghai, UTC+08:00)"))
            let calendar = try #require(mail.calendar)
            #expect(calendar.contains("METHOD:REQUEST") && calendar.contains("DTSTART:20261026T010000Z") && calendar.contains("DTEND:20261026T013000Z"))
            // The official is invited too, in their own language.
            #expect(try await Inbox.latest(app, to: world.base.clerkAccount.email).calendar?.contains("DTSTART:20261026T010000Z") == true)
        }
    }

    @Test("Two people booking one slot at the same instant: one gets it, the others are told it was taken")
    func concurrentBookings() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let day = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 2)
            try await world.publish(weekdays: Array(1...7), from: "09:00", to: "09:30", firstDay: day.description, lastDay: day.description)
            let start = day.startOfDay(in: TimeZone(identifier: "Asia/Shanghai")!).addingTimeInterval(9 * 3600)
            var people: [(TestBrowser, UUID)] = [(world.citizen, try await world.base.submittedCase())]
            for index in 0..<3 { people.append(try await world.anotherCitizen("rival\(index)")) }

            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (browser, caseID) in people { group.addTask { try await world.book(caseID, at: start, by: browser).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 3)
            #expect(try await VideoSession.query(on: app.db).filter(\.$status == .booked).count() == 1)
        }
    }

    @Test("The database itself refuses a second holder of a slot or of a case's video step")
    func uniqueKeys() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            let (_, otherCase) = try await world.anotherCitizen()
            func copy(caseID: UUID, slotKey: String?, activeKey: String?) -> VideoSession {
                let twin = VideoSession()
                twin.$caseRecord.id = caseID
                twin.$department.id = session.$department.id
                twin.$host.id = session.$host.id
                twin.purpose = .identity
                twin.startsAt = session.startsAt
                twin.endsAt = session.endsAt
                twin.status = .booked
                twin.slotKey = slotKey
                twin.activeKey = activeKey
                twin.sequence = 0
                twin.$bookedBy.id = session.$bookedBy.id
                twin.createdAt = clock.now
                return twin
            }
            await #expect { try await copy(caseID: otherCase, slotKey: session.slotKey, activeKey: nil).create(on: app.db) } throws: {
                ($0 as? any DatabaseError)?.isConstraintFailure == true
            }
            await #expect { try await copy(caseID: caseID, slotKey: nil, activeKey: session.activeKey).create(on: app.db) } throws: {
                ($0 as? any DatabaseError)?.isConstraintFailure == true
            }
            // Cancelled and ended sessions hold nothing (NULL keys do not collide).
            try await copy(caseID: otherCase, slotKey: nil, activeKey: nil).create(on: app.db)
            try await copy(caseID: otherCase, slotKey: nil, activeKey: nil).create(on: app.db)
        }
    }

    @Test("Moving and cancelling follow the office's notice; the office may always cancel; calendars get updates")
    func rebookAndCancel() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let day = CivilDay(clock.now, in: zone).adding(days: 3)
            try await world.publish(weekdays: Array(1...7), from: "09:00", to: "10:00", firstDay: day.description, lastDay: day.description)
            let caseID = try await world.base.submittedCase()
            let nine = day.startOfDay(in: zone).addingTimeInterval(9 * 3600)
            #expect(try await world.book(caseID, at: nine).status == .seeOther)
            let first = try await world.activeSession(caseID)

            // A second booking for the same step is refused; a move replaces the first.
            let again = try await world.book(caseID, at: nine.addingTimeInterval(1800))
            #expect(again.status == .conflict)
            #expect(again.body.contains("already has a video appointment"))
            #expect(try await world.book(caseID, at: nine.addingTimeInterval(1800), replacing: first.requireID()).status == .seeOther)
            let moved = try await world.activeSession(caseID)
            #expect(moved.startsAt == nine.addingTimeInterval(1800))
            #expect(try await VideoSession.find(first.requireID(), on: app.db)?.status == .cancelled)
            let calendars = try await Inbox.all(app, to: world.base.citizenAccount.email).compactMap(\.calendar)
            let firstUID = "UID:video-\(try first.requireID().uuidString.lowercased())@zeroerrand"
            #expect(calendars.contains { $0.contains("METHOD:CANCEL") && $0.contains(firstUID) })
            // The freed slot can be booked by someone else.
            let (other, otherCase) = try await world.anotherCitizen()
            #expect(try await world.book(otherCase, at: nine, by: other).status == .seeOther)

            // Twelve hours' notice: eleven hours before, the citizen can no longer cancel.
            clock.advance(by: moved.startsAt.timeIntervalSince(clock.now) - 11 * 3600)
            try await world.base.signInAgain()
            let late = try await world.citizen.post("/cases/\(caseID)/video/\(try moved.requireID())/cancel")
            #expect(late.status == .conflict)
            #expect(try await world.activeSession(caseID).id == moved.id)
            let tooLate = try await world.citizen.get("/cases/\(caseID)/video")
            #expect(tooLate.body.contains("too late to move or cancel") && !tooLate.body.contains("name=\"start\""))
            #expect(try await world.clerk.post("/office/video/\(try moved.requireID())/cancel").status == .seeOther)
            #expect(try await VideoSession.find(moved.requireID(), on: app.db)?.status == .cancelled)
            let last = try await Inbox.latest(app, to: world.base.citizenAccount.email)
            #expect(last.subject.contains("cancelled") && last.calendar?.contains("STATUS:CANCELLED") == true)
        }
    }

    @Test("Reminders go 24 hours and 1 hour before, once each")
    func reminders() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let address = world.base.citizenAccount.email
            func count(_ subject: String) async throws -> Int { try await Inbox.all(app, to: address).filter { $0.subject.contains(subject) }.count }

            try await VideoReminders.run(app)
            #expect(try await count("Tomorrow") == 0)
            clock.advance(by: session.startsAt.timeIntervalSince(clock.now) - 23 * 3600)
            try await VideoReminders.run(app)
            try await VideoReminders.run(app)
            #expect(try await count("Tomorrow") == 1)
            #expect(try await count("In one hour") == 0)
            clock.advance(by: 22 * 3600 + 120)
            try await VideoReminders.run(app)
            try await VideoReminders.run(app)
            #expect(try await count("In one hour") == 1)
            let reminder = try await Inbox.latest(app, to: address)
            #expect(reminder.calendar?.contains("METHOD:REQUEST") == true)
        }
    }

    @Test("No slots on public holidays: the office's hours skip National Day")
    func holidays() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock, at: VideoWorld.utc("2026-09-21T00:00:00Z"))
            try await world.publish(weekdays: [1, 2, 3, 4, 5], from: "09:00", to: "09:30", firstDay: "2026-09-28", lastDay: "2026-10-09")
            let caseID = try await world.base.submittedCase()
            // 09:00 in Wenzhou is 03:00 in Paris: each day is asked for with its night hours.
            func page(_ day: String) async throws -> String { try await world.citizen.get("/cases/\(caseID)/video?day=\(day)&night=1").body }
            for open in ["2026-09-28", "2026-09-30", "2026-10-08", "2026-10-09"] { #expect(try await page(open).contains("\(open) 09:00 (Asia/Shanghai"), "\(open)") }
            for closed in ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"] {
                #expect(!(try await page(closed).contains("\(closed) 09:00 (Asia/Shanghai")), "\(closed)")
            }
            #expect(try await world.book(caseID, at: VideoWorld.utc("2026-10-05T01:00:00Z")).status == .conflict)
        }
    }

    @Test("Publishing hours: bad input is refused with the reason and changes nothing")
    func availabilityValidation() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let today = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!)
            let cases: [([Int], String, String, Int, String, String, String)] = [
                ([], "09:00", "10:00", 30, today.description, today.adding(days: 5).description, "at least one day"),
                ([1], "10:00", "09:00", 30, today.description, today.adding(days: 5).description, "end must be after the start"),
                ([1], "9h", "10:00", 30, today.description, today.adding(days: 5).description, "hours and minutes"),
                ([1], "09:00", "10:00", 25, today.description, today.adding(days: 5).description, "appointment lengths"),
                ([1], "09:00", "10:00", 30, today.adding(days: -1).description, today.adding(days: 5).description, "cannot be in the past"),
                ([1], "09:00", "10:00", 30, today.description, today.adding(days: 200).description, "three months"),
            ]
            for (days, from, to, slot, first, last, message) in cases {
                let page = try await world.publish(weekdays: days, from: from, to: to, slot: slot, firstDay: first, lastDay: last)
                #expect(page.status == .unprocessableEntity)
                #expect(page.body.contains(message), "\(message)")
            }
            #expect(try await VideoAvailability.query(on: app.db).count() == 0)
            #expect(try await world.publish(weekdays: [1, 2], from: "09:00", to: "12:00", firstDay: today.description, lastDay: today.adding(days: 20).description).status == .seeOther)
            let overlap = try await world.publish(weekdays: [2], from: "11:00", to: "13:00", firstDay: today.description, lastDay: today.adding(days: 5).description)
            #expect(overlap.status == .unprocessableEntity && overlap.body.contains("overlap"))
            #expect(try await VideoAvailability.query(on: app.db).count() == 1)
        }
    }
}

@Suite("Office notice rules")
struct VideoNoticeRuleTests {
    @Test("An administrator sets an office's notice; slots inside it are no longer offered, and nonsense is refused")
    func adminSetsNotice() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let today = CivilDay(clock.now, in: zone)
            try await world.publish(weekdays: Array(1...7), from: "09:00", to: "10:00", firstDay: today.adding(days: 1).description,
                                    lastDay: today.adding(days: 5).description)
            let caseID = try await world.base.submittedCase()
            let tomorrow = today.adding(days: 1).startOfDay(in: zone).addingTimeInterval(9 * 3600)
            let value = "value=\"\(Int(tomorrow.timeIntervalSince1970))\""
            #expect(try await world.citizen.get("/cases/\(caseID)/video").body.contains(value))

            let email = Inbox.uniqueAddress("admin"), secret = testSecret(95)
            try await TestAccounts.make(app, email: email, kind: .admin, totpSecret: secret)
            let admin = TestBrowser(app)
            try await admin.signIn(email, totp: secret, clock: clock)
            let office = try #require(try await Department.query(on: app.db).filter(\.$code == "wz-psb-wuma").first())
            var fields = ["kind": office.kind, "parent": office.$parent.id?.uuidString ?? "", "nameZh": office.nameZh, "nameEn": office.nameEn,
                          "cityZh": office.cityZh, "cityEn": office.cityEn, "timeZone": office.timeZone,
                          "bookingNoticeHours": "500", "changeNoticeHours": "24"]
            let refused = try await admin.post("/admin/departments/\(try office.requireID())", fields)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("0 to 336"))
            fields["bookingNoticeHours"] = "72"
            #expect(try await admin.post("/admin/departments/\(try office.requireID())", fields).status == .seeOther)
            #expect(try await Department.find(office.requireID(), on: app.db)?.bookingNoticeHours == 72)

            let page = try await world.citizen.get("/cases/\(caseID)/video")
            #expect(!page.body.contains(value))
            #expect(page.body.contains("at least 72 hours ahead"))
            #expect(try await world.book(caseID, at: tomorrow).status == .unprocessableEntity)
        }
    }
}
