import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Appointments at sensible hours: a citizen in Madrid and a police station in Wenzhou, seven
/// hours apart in winter and six in summer (Madrid changes clocks on Sunday 28 March 2027).
@Suite("Video appointments at sensible hours")
struct VideoHoursPageTests {
    /// Sets where a person lives and which language they read (as their account settings would).
    static func settle(_ account: Account, zone: String, locale: AppLocale, on db: any Database) async throws {
        try await Account.query(on: db).filter(\.$id == account.requireID())
            .set(\.$timeZone, to: zone).set(\.$locale, to: locale.rawValue).update()
    }

    /// Wenzhou mornings (09:00–12:00, Madrid's night) every day from Wednesday 24 March to
    /// Tuesday 6 April 2027, and one afternoon hour (16:00, Madrid's morning) on Thursday 1 April.
    static func officeHours(_ world: VideoWorld) async throws {
        #expect(try await world.publish(weekdays: Array(1...7), from: "09:00", to: "12:00", firstDay: "2027-03-24", lastDay: "2027-04-06").status == .seeOther)
        #expect(try await world.publish(weekdays: [4], from: "16:00", to: "17:00", firstDay: "2027-04-01", lastDay: "2027-04-01").status == .seeOther)
    }

    static func madridWorld(_ app: Application, _ clock: ManualClock, locale: AppLocale = .en) async throws -> VideoWorld {
        let world = try await VideoWorld.make(app, clock, at: VideoWorld.utc("2027-03-22T00:00:00Z"))
        try await settle(world.base.citizenAccount, zone: "Europe/Madrid", locale: locale, on: app.db)
        return world
    }

    /// The element around a time offered on the page, up to the office's time beside it.
    static func slot(_ page: String, at start: Date) -> Substring? {
        guard let input = page.range(of: "value=\"\(Int(start.timeIntervalSince1970))\"") else { return nil }
        let opening = page[..<input.lowerBound].range(of: "<div class=\"slot", options: .backwards)!
        let closing = page[input.upperBound...].range(of: "</div>")!
        return page[opening.lowerBound..<closing.upperBound]
    }

    /// Text as a reader sees it: the page escapes apostrophes.
    static func unescaped(_ html: String) -> String {
        html.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'")
    }

    @Test("A week of night-hour times only: the citizen's time first, night hours hidden, and what to do said plainly")
    func nightOnlyWeek() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await Self.madridWorld(app, clock)
            try await Self.officeHours(world)
            let caseID = try await world.base.submittedCase()

            let page = try await world.citizen.get("/cases/\(caseID)/video").body
            #expect(page.contains("Week of 2027-03-22 to 2027-03-28"))
            #expect(page.contains("<legend>Wednesday 2027-03-24</legend>"))
            let night = try #require(Self.slot(page, at: VideoWorld.utc("2027-03-24T01:00:00Z")))
            #expect(night.hasPrefix("<div class=\"slot slot-night\" data-night hidden>"))
            #expect(night.contains("Night hours"))
            let mine = try #require(night.range(of: "2027-03-24 02:00 (Europe/Madrid, UTC+01:00)"))
            let office = try #require(night.range(of: "Office time: 2027-03-24 09:00 (Asia/Shanghai, UTC+08:00)"))
            #expect(mine.lowerBound < office.lowerBound)
            #expect(page.contains("6 night-hour times on this day are hidden."))
            #expect(page.contains("This week has no free time between 07:00 and 22:00 your time, only at night."))
            #expect(page.contains("You can show the night hours, or look at next week."))
            #expect(page.contains("name=\"night\" value=\"1\" class=\"button\" data-night-show>Show night hours</button>"))
            #expect(page.contains("name=\"day\" value=\"2027-03-29\" class=\"button button-secondary\">Next week</button>"))
            #expect(page.contains("First daytime time: Thursday 2027-04-01"))
            #expect(page.contains("id=\"show-night\" name=\"night\" value=\"1\" aria-describedby=\"night-hint\""))
            #expect(page.contains("outside 07:00–22:00 in your zone (Europe/Madrid)"))

            // One click on "Show night hours" (without the page's script: the form reloads with them).
            let shown = try await world.citizen.get("/cases/\(caseID)/video?night=1").body
            #expect(shown.contains("id=\"show-night\" name=\"night\" value=\"1\" checked"))
            #expect(try #require(Self.slot(shown, at: VideoWorld.utc("2027-03-24T01:00:00Z"))).hasPrefix("<div class=\"slot slot-night\" data-night>"))
            #expect(shown.contains("You can choose one of the night-hour times, or look at next week."))
            #expect(!shown.contains("data-night-show"))

            // Madrid goes onto summer time on the 28th: the same Wenzhou 09:00 is 02:00 before and 03:00 after.
            #expect(try await world.citizen.get("/cases/\(caseID)/video?day=2027-03-27&night=1").body.contains("2027-03-27 02:00 (Europe/Madrid, UTC+01:00)"))
            let sunday = try await world.citizen.get("/cases/\(caseID)/video?day=2027-03-28&night=1").body
            #expect(sunday.contains("2027-03-28 03:00 (Europe/Madrid, UTC+02:00)") && sunday.contains("2027-03-28 09:00 (Asia/Shanghai, UTC+08:00)"))

            // The week with a daytime time: that time is shown, the day's night ones wait.
            let thursday = try await world.citizen.get("/cases/\(caseID)/video?day=2027-04-01").body
            #expect(try #require(Self.slot(thursday, at: VideoWorld.utc("2027-04-01T08:00:00Z"))).hasPrefix("<div class=\"slot\">"))
            #expect(thursday.contains("2027-04-01 10:00 (Europe/Madrid, UTC+02:00)"))
            #expect(thursday.contains("value=\"2027-04-01\" class=\"day-tab\" aria-current=\"date\""))
            #expect(!thursday.contains("This week has no free time"))
            // The date field picks a day too.
            #expect(try await world.citizen.get("/cases/\(caseID)/video?date=2027-04-01").body.contains("<legend>Thursday 2027-04-01</legend>"))

            // A week with nothing at all.
            let empty = try await world.citizen.get("/cases/\(caseID)/video?day=2027-04-12").body
            #expect(empty.contains("The office has no free time this week.") && empty.contains("Please look at next week."))
            // The booking window ends on Friday 21 May: the last week says so, and its weekend cannot be chosen.
            let last = try await world.citizen.get("/cases/\(caseID)/video?day=2027-05-21").body
            #expect(last.contains("at most 60 days ahead, so there is no later week"))
            #expect(last.contains("value=\"2027-05-22\" class=\"day-tab\" disabled") && !last.contains("value=\"2027-05-21\" class=\"day-tab\" aria-current=\"date\" disabled"))

            // A night-hour time can be booked like any other; it is shown on the citizen's clock first.
            #expect(try await world.book(caseID, at: VideoWorld.utc("2027-03-24T01:00:00Z")).status == .seeOther)
            let booked = try await world.citizen.get("/cases/\(caseID)/video").body
            #expect(booked.contains("id=\"current-appointment\"><strong>2027-03-24 02:00 (Europe/Madrid, UTC+01:00)</strong>"))
        }
    }

    @Test("The booking page in Chinese")
    func chinese() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await Self.madridWorld(app, clock, locale: .zhHans)
            try await Self.officeHours(world)
            let caseID = try await world.base.submittedCase()
            let page = try await world.citizen.get("/cases/\(caseID)/video").body
            #expect(page.contains("本周在您当地时间 07:00–22:00 之间没有空闲时段，只有夜间时段。"))
            #expect(page.contains("您可以显示夜间时段，或查看下一周。"))
            #expect(page.contains("显示夜间时段") && page.contains("下一周"))
            #expect(page.contains("2027-03-22 至 2027-03-28 这一周"))
            #expect(page.contains("<legend>2027-03-24 星期三</legend>"))
            #expect(page.contains("最近的白天时段：2027-04-01 星期四"))
            #expect(page.contains("办理部门时间： 2027-03-24 09:00 (Asia/Shanghai, UTC+08:00)"))
        }
    }

    @Test("Staff see published hours on their applicants' clocks, across Madrid's clock change, and are warned about days beyond the booking window")
    func staffHours() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await Self.madridWorld(app, clock)
            _ = try await world.base.submittedCase()
            let (_, otherCase) = try await world.anotherCitizen("angeleno")
            let angeleno = try #require(try await Case.query(on: app.db).filter(\.$id == otherCase).with(\.$applicant).first()).applicant
            try await Self.settle(angeleno, zone: "America/Los_Angeles", locale: .en, on: app.db)

            let before = try await world.clerk.get("/office/video").body
            #expect(before.contains("live in these time zones (people): America/Los_Angeles (1), Europe/Madrid (1)."))
            #expect(before.contains("Citizens can book at most 60 days ahead: today until 2027-05-21 08:00 (Asia/Shanghai, UTC+08:00)."))

            // Checked first, not yet published.
            let preview = try await world.publish(weekdays: Array(1...7), from: "09:00", to: "12:00", firstDay: "2027-03-22", lastDay: "2027-04-04",
                                                  intent: "preview")
            #expect(preview.status == .ok)
            #expect(preview.body.contains("Not published yet:"))
            #expect(preview.body.contains("09:00–12:00 Asia/Shanghai = 02:00–05:00 Europe/Madrid (night), 2027-03-22 to 2027-03-27"))
            #expect(try await VideoAvailability.query(on: app.db).count() == 0)

            let published = try await world.publish(weekdays: Array(1...7), from: "09:00", to: "12:00", firstDay: "2027-03-22", lastDay: "2027-04-04")
            #expect(published.status == .seeOther)
            let page = try await world.clerk.get(try #require(published.location)).body
            #expect(page.contains("Your hours are published:"))
            #expect(page.contains("09:00–12:00 Asia/Shanghai = 02:00–05:00 Europe/Madrid (night), 2027-03-22 to 2027-03-27"))
            #expect(page.contains("09:00–12:00 Asia/Shanghai = 03:00–06:00 Europe/Madrid (night), 2027-03-28 to 2027-04-04"))
            #expect(page.contains("09:00–12:00 Asia/Shanghai = 18:00–21:00 the day before America/Los_Angeles (daytime)"))
            #expect(!page.contains("not offered yet"))

            // Hours reaching past the 60-day window: published, with a warning naming the first day not offered.
            let far = try await world.publish(weekdays: [1, 2, 3, 4, 5], from: "14:00", to: "15:00", firstDay: "2027-05-10", lastDay: "2027-06-10")
            let warned = try await world.clerk.get(try #require(far.location)).body
            #expect(warned.contains("Citizens can book at most 60 days ahead, so today only until 2027-05-21 08:00 (Asia/Shanghai, UTC+08:00). The hours from 2027-05-21 on are published but not offered yet"))
            #expect(try await VideoAvailability.query(on: app.db).count() == 2)

            // In Chinese.
            try await Self.settle(world.base.clerkAccount, zone: "Asia/Shanghai", locale: .zhHans, on: app.db)
            let chinese = try await world.clerk.get("/office/video").body
            #expect(chinese.contains("09:00–12:00 Asia/Shanghai = 02:00–05:00 Europe/Madrid（夜间），2027-03-22 至 2027-03-27"))
            #expect(chinese.contains("09:00–12:00 Asia/Shanghai = 前一天 18:00–21:00 America/Los_Angeles（白天）"))
            #expect(chinese.contains("公民最多可提前 60 天预约，今天只能约到 2027-05-21 08:00 (Asia/Shanghai, UTC+08:00)。自 2027-05-21 起的时段已发布，但暂不开放预约"))
        }
    }

    @Test("The official's pages and mails read as an appointment with the citizen, the citizen's own time beside the office's, in both languages")
    func officialSide() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await Self.madridWorld(app, clock)
            try await Self.officeHours(world)
            let caseID = try await world.base.submittedCase()
            let record = try #require(try await Case.find(caseID, on: app.db))
            let name = world.base.citizenAccount.displayName
            #expect(try await world.book(caseID, at: VideoWorld.utc("2027-03-24T01:00:00Z")).status == .seeOther)
            let session = try await world.activeSession(caseID)
            let madrid = "2027-03-24 02:00 (Europe/Madrid, UTC+01:00)", wenzhou = "2027-03-24 09:00 (Asia/Shanghai, UTC+08:00)"

            let official = try await Inbox.latest(app, to: world.base.clerkAccount.email)
            #expect(official.subject == "Video appointment with \(name) for \(record.number): booked")
            #expect(official.text.hasPrefix("Video appointment with \(name) for "))
            #expect(official.text.contains("Office time: \(wenzhou)\nApplicant's time: \(madrid)"))
            #expect(!official.text.contains("Your video appointment") && !official.text.contains("Your time"))
            #expect(official.calendar?.contains("SUMMARY:Video appointment with \(name): \(record.number)") == true)
            let citizen = try await Inbox.latest(app, to: world.base.citizenAccount.email, subject: "Video appointment booked")
            #expect(citizen.subject == "Video appointment booked: \(record.number)")
            #expect(citizen.text.contains("Your time: \(madrid)\nOffice time: \(wenzhou)"))

            // The office's pages: office time first, the applicant's own time beside it.
            #expect(try await world.clerk.get("/office/video").body.contains("With \(name), at their time \(madrid)"))
            let casePage = Self.unescaped(try await world.clerk.get("/office/cases/\(caseID)").body)
            #expect(casePage.contains("Video appointment booked for \(wenzhou) (the applicant's time: \(madrid))."))
            let room = Self.unescaped(try await world.clerk.get("/video/\(try session.requireID())").body)
            #expect(room.contains("\(wenzhou)<br><span class=\"meta\">Applicant's time: \(madrid)"))
            let citizenRoom = try await world.citizen.get("/video/\(try session.requireID())").body
            #expect(citizenRoom.contains("\(madrid)<br><span class=\"meta\">Office time: \(wenzhou)"))

            // A day before, in Chinese for both.
            try await Self.settle(world.base.clerkAccount, zone: "Asia/Shanghai", locale: .zhHans, on: app.db)
            try await Self.settle(world.base.citizenAccount, zone: "Europe/Madrid", locale: .zhHans, on: app.db)
            clock.advance(by: session.startsAt.timeIntervalSince(clock.now) - 23 * 3600)
            try await VideoReminders.run(app)
            let reminder = try await Inbox.latest(app, to: world.base.clerkAccount.email)
            #expect(reminder.subject == "与\(name)的视频预约（\(record.number)）：明天")
            #expect(reminder.text.contains("办理部门时间：\(wenzhou)\n申请人当地时间：\(madrid)"))
            let citizenReminder = try await Inbox.latest(app, to: world.base.citizenAccount.email)
            #expect(citizenReminder.subject == "明天：视频办理 \(record.number)")
            #expect(citizenReminder.text.contains("您的时间：\(madrid)\n办理部门时间：\(wenzhou)"))

            // The office cancels: the official's mail still names the citizen.
            clock.advance(by: 60)
            try await world.base.signInAgain()
            #expect(try await world.clerk.post("/office/video/\(try session.requireID())/cancel").status == .seeOther)
            let cancelled = try await Inbox.latest(app, to: world.base.clerkAccount.email)
            #expect(cancelled.subject == "与\(name)的视频预约（\(record.number)）：已取消")
            #expect(cancelled.calendar?.contains("METHOD:CANCEL") == true)
        }
    }

    @Test("Every reading of hours on another clock has its words in both languages")
    func shareWords() throws {
        let translator = try Translator.load(from: TestEnvironment.packageRoot + "Resources/")
        let shares: [DaytimeHours.Share] = [.day, .partlyNight, .night]
        for share in shares {
            for locale in [AppLocale.en, .zhHans] {
                #expect(translator.text("video.availability.share.\(share.rawValue)", locale, [:]) != "video.availability.share.\(share.rawValue)")
            }
        }
        for kind in ["booked", "reminder_day", "reminder_hour", "cancelled"] {
            for part in ["subject", "body"] {
                #expect(try translator.tables[.zhHans]?["video.mail.official.\(kind).\(part)"] != nil)
                #expect(try translator.tables[.en]?["video.mail.official.\(kind).\(part)"] != nil)
            }
        }
    }
}
