import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("The office works a case")
struct WorkflowTests {
    @Test("Submit, accept, supplement, resubmit, approve with a result, close: each step on the timeline, mailed, audited")
    func fullLoop() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            let office = "/office/cases/\(id)"

            #expect(try await world.clerk.post("\(office)/assignee", ["assignee": "me"]).status == .seeOther)
            #expect(try await world.clerk.post("\(office)/actions/accept").status == .seeOther)
            let accepted = try #require(try await Case.find(id, on: app.db))
            #expect(accepted.status == .accepted && accepted.acceptedOn != nil && accepted.dueOn != nil)
            let dueBefore = try #require(accepted.dueOn)

            let dueBy = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 10).description
            #expect(try await world.clerk.post("\(office)/actions/request_supplement",
                                               ["text": "请补充户口簿首页\n请补充护照签证页", "date": dueBy]).status == .seeOther)
            #expect(try await world.status(id) == .supplementRequested)
            #expect(try await Case.find(id, on: app.db)?.supplementItems == ["请补充户口簿首页", "请补充护照签证页"])

            // Four days later the citizen supplies it; the clock stood still meanwhile.
            clock.advance(by: 4 * 86400)
            try await world.signInAgain()
            // Sending nothing is not an answer.
            world.citizen.accept = "application/json"
            #expect(try await world.citizen.post("/cases/\(id)/actions/resubmit").status == .unprocessableEntity)
            world.citizen.accept = "text/html"
            #expect(try await world.status(id) == .supplementRequested)
            let supplement = try await world.citizen.upload("/cases/\(id)/documents?purpose=supplement", bytes: SampleFiles.pdf("户口簿"),
                                                            fileName: "户口簿.pdf")
            #expect(supplement.status == .created)
            #expect(try await world.citizen.post("/cases/\(id)/actions/resubmit").status == .seeOther)
            let resubmitted = try #require(try await Case.find(id, on: app.db))
            #expect(resubmitted.status == .resubmitted)
            #expect(try #require(resubmitted.dueOn) > dueBefore)

            #expect(try await world.clerk.post("\(office)/actions/approve", ["text": "材料齐全，准予办理"]).status == .seeOther)
            world.clerk.accept = "application/json"
            #expect(try await world.clerk.post("\(office)/actions/issue_result").status == .unprocessableEntity)
            #expect(try await world.clerk.upload("\(office)/documents?purpose=result", bytes: SampleFiles.pdf("户籍证明"),
                                                 fileName: "户籍证明.pdf").status == .created)
            #expect(try await world.clerk.post("\(office)/actions/issue_result").status == .seeOther)
            #expect(try await world.clerk.post("\(office)/actions/close").status == .seeOther)
            #expect(try await world.status(id) == .closed)

            let result = try #require(try await CaseDocument.query(on: app.db).filter(\.$purpose == .result).first())
            let download = try await world.citizen.get("/cases/\(id)/documents/\(result.id!)")
            #expect(download.bytes == SampleFiles.pdf("户籍证明"))

            let steps = try await CaseEvent.query(on: app.db).filter(\.$caseRecord.$id == id).sort(\.$occurredAt).all().map(\.name)
            for step in ["create", "submit", "assign", "accept", "request_supplement", "document_supplement", "resubmit", "approve",
                         "document_result", "issue_result", "close"] {
                #expect(steps.contains(step), "timeline has \(step)")
            }
            let notes = try await AccountNotification.query(on: app.db).filter(\.$account.$id == world.citizenAccount.requireID()).all()
            #expect(Set(notes.map(\.key)).isSuperset(of: ["notification.case.accept", "notification.case.request_supplement",
                                                          "notification.case.approve", "notification.case.close"]))
            let mail = try await Inbox.latest(app, to: world.citizenAccount.email)
            #expect(mail.text.contains("ZE-2026-000001"))
            let audited = Set(try await AuditEvent.query(on: app.db).filter(\.$objectType == "case").all().map(\.action))
            #expect(audited.isSuperset(of: ["case.created", "case.submit", "case.accept", "case.request_supplement", "case.resubmit",
                                            "case.approve", "case.issue_result", "case.close", "case.assigned"]))
        }
    }

    @Test("Provisional acceptance: a material that may come later is supplied later and the slot closes")
    func provisionalAcceptance() async throws {
        try await withTestApp { (app, clock) async throws in
            // A social-insurance matter whose second material may come later, worked by that centre's clerk.
            let world = try await CaseWorld.make(app, clock, matterCode: "GA-SI-002")
            let matter = world.matter
            let later = try #require(matter.materials.firstIndex { $0.canSupplyLater })
            let created = try await world.citizen.post("/matters/\(matter.code)/apply", ["details": "先受理，后补材料"])
            let id = try #require(created.caseID)
            for index in matter.materials.indices where index != later && matter.materials[index].condition == nil {
                #expect(try await world.citizen.upload("/cases/\(id)/documents?material=\(index)", bytes: SampleFiles.pdf(), fileName: "a.pdf").status == .created)
            }
            #expect(try await world.citizen.post("/cases/\(id)/actions/submit").status == .seeOther)
            let by = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 14).description
            #expect(try await world.clerk.post("/office/cases/\(id)/actions/accept_provisionally",
                                               pairs: [("materials[]", String(later)), ("date", by)]).status == .seeOther)
            #expect(try await Case.find(id, on: app.db)?.provisionalMissing == [later])
            // Only the material accepted as missing may still be uploaded.
            let other = matter.materials.indices.first { $0 != later && matter.materials[$0].condition == nil }!
            #expect(try await world.citizen.upload("/cases/\(id)/documents?material=\(other)", bytes: SampleFiles.pdf(), fileName: "b.pdf").status == .conflict)
            #expect(try await world.citizen.upload("/cases/\(id)/documents?material=\(later)", bytes: SampleFiles.pdf(), fileName: "later.pdf").status == .created)
            #expect(try await Case.find(id, on: app.db)?.provisionalMissing == [])
            #expect(try await world.citizen.upload("/cases/\(id)/documents?material=\(later)", bytes: SampleFiles.pdf(), fileName: "again.pdf").status == .conflict)
            // Everything supplied: no reminder of the old supply-by date goes out.
            #expect(try await Case.find(id, on: app.db)?.supplyBy == nil)
            clock.advance(by: 13 * 86400)
            #expect(try await DeadlineReminders.run(app) == 0)
        }
    }

    @Test("The applicant is reminded once, two days before a requested supplement is due")
    func reminders() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            #expect(try await world.clerk.post("/office/cases/\(id)/actions/accept").status == .seeOther)
            let dueBy = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 3).description
            #expect(try await world.clerk.post("/office/cases/\(id)/actions/request_supplement",
                                               ["text": "请补充护照签证页", "date": dueBy]).status == .seeOther)
            #expect(try await DeadlineReminders.run(app) == 0)
            clock.advance(by: 2 * 86400)
            #expect(try await DeadlineReminders.run(app) == 1)
            #expect(try await DeadlineReminders.run(app) == 0)
            let keys = try await AccountNotification.query(on: app.db).all().map(\.key)
            #expect(keys.filter { $0 == "notification.case.supplement_due_soon" }.count == 1)
        }
    }

    @Test("Decisions follow roles: a clerk accepts but cannot approve; with four eyes, whoever prepared the case cannot decide it")
    func decisionsFollowRoles() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            #expect(world.matter.decidedBy == .reviewer)
            world.matter.fourEyes = true
            try await world.matter.update(on: app.db)
            app.catalogue.drop() // as the administrator's edit page does
            let departmentCode = try #require(try await Department.find(world.matter.$department.id, on: app.db)?.code)
            func staff(_ name: String, _ roles: [StaffRole], _ seed: UInt8) async throws -> TestBrowser {
                let account = try await TestAccounts.make(app, email: Inbox.uniqueAddress(name), kind: .staff, roles: roles,
                                                          departmentCode: departmentCode, totpSecret: testSecret(seed))
                let browser = TestBrowser(app)
                try await browser.signIn(account.email, totp: testSecret(seed), clock: clock)
                return browser
            }
            let clerk = try await staff("clerk-only", [.clerk], 101)
            let reviewer = try await staff("reviewer", [.reviewer], 102)
            let id = try await world.submittedCase()
            let office = "/office/cases/\(id)"
            #expect(try await reviewer.post("\(office)/actions/accept").status == .seeOther)
            #expect(try await reviewer.post("\(office)/actions/start_review").status == .seeOther)

            let clerkPage = try await clerk.get(office)
            #expect(!clerkPage.body.contains("/actions/approve") && !clerkPage.body.contains("/actions/refuse"), "not offered to a clerk")
            // The reviewer who accepted it is not offered the decision, and is told why.
            let preparerPage = try await reviewer.get(office).body
            #expect(!preparerPage.contains("/actions/approve") && preparerPage.contains(app.dependencies.translator.text("case.decide.four_eyes", .en)))
            let byClerk = try await clerk.post("\(office)/actions/approve", ["text": "准予办理"])
            #expect(byClerk.status == .forbidden)
            #expect(byClerk.body.contains(app.dependencies.translator.text("case.decide.needs_role", .en, ["role": "Reviewer"])))
            let byPreparer = try await reviewer.post("\(office)/actions/refuse", ["text": "材料不符"])
            #expect(byPreparer.status == .forbidden)
            #expect(byPreparer.body.contains(app.dependencies.translator.text("case.decide.four_eyes", .en)))
            #expect(try await world.status(id) == .inReview)

            let second = try await staff("second-reviewer", [.reviewer], 103)
            #expect(try await second.get(office).body.contains("/actions/approve"))
            #expect(try await second.post("\(office)/actions/approve", ["text": "准予办理"]).status == .seeOther)
            #expect(try await world.status(id) == .approved)
        }
    }

    @Test("A matter that needs identity confirmed by video cannot be approved before the check is recorded")
    func levelThreeNeedsVideoCheck() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock, matterCode: VideoWorld.matterCode)
            #expect(world.matter.identityLevel == .videoVerified)
            let id = try await world.submittedCase()
            let office = "/office/cases/\(id)"
            #expect(try await world.clerk.post("\(office)/actions/accept").status == .seeOther)
            #expect(try await world.clerk.post("\(office)/actions/start_review").status == .seeOther)
            let refused = try await world.clerk.post("\(office)/actions/approve", ["text": "准予办理"])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains(app.dependencies.translator.text("case.approve_needs_video_check", .en)))
            #expect(try await world.status(id) == .inReview)

            // As the video outcome records it: when, by whom, for which office.
            world.citizenAccount.identityVerifiedAt = clock.now
            world.citizenAccount.identityVerifiedBy = world.clerkAccount.id
            world.citizenAccount.identityVerifiedDepartment = world.matter.$department.id
            try await world.citizenAccount.update(on: app.db)
            #expect(try await world.clerk.post("\(office)/actions/approve", ["text": "准予办理"]).status == .seeOther)
            #expect(try await world.status(id) == .approved)
        }
    }

    @Test("An action the state does not allow is refused with a message and changes nothing")
    func wrongState() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            world.clerk.accept = "application/json"
            world.clerk.acceptLanguage = "zh-CN"
            let refused = try await world.clerk.post("/office/cases/\(id)/actions/approve", ["text": "ok"])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("\"error\""))
            #expect(try await world.status(id) == .submitted)
            let noReason = try await world.clerk.post("/office/cases/\(id)/actions/not_accept", ["text": "  "])
            #expect(noReason.status == .unprocessableEntity)
            #expect(try await world.status(id) == .submitted)
            // On the web page the refusal is shown on the case page itself, next to the actions.
            world.clerk.accept = "text/html"
            let page = try await world.clerk.post("/office/cases/\(id)/actions/not_accept", ["text": ""])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains(app.dependencies.translator.text("case.error.missing_reason", .en)), "in the clerk's own language")
            #expect(page.body.contains(try #require(try await Case.find(id, on: app.db)?.number)))
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseRecord.$id == id).count()
            #expect(events == 2 + world.matter.materials.filter { $0.condition == nil }.count)
        }
    }

    @Test("Staff opening a case and a document is audited and shown to the citizen by office and role")
    func accessLog() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            #expect(try await world.clerk.get("/office/cases/\(id)").status == .ok)
            let document = try #require(try await CaseDocument.query(on: app.db).first())
            #expect(try await world.clerk.get("/office/cases/\(id)/documents/\(document.id!)").status == .ok)
            let viewed = try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["case.viewed", "document.viewed"]).all()
            #expect(viewed.count == 2)
            // Opening it again and again (a link sent over and over) is one entry per ten minutes.
            for _ in 0..<3 { #expect(try await world.clerk.get("/office/cases/\(id)").status == .ok) }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.viewed").count() == 1)
            clock.advance(by: 10 * 60 + 1)
            #expect(try await world.clerk.get("/office/cases/\(id)").status == .ok)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "case.viewed").count() == 2)
            let page = try await world.citizen.get("/account/access-log")
            #expect(page.status == .ok)
            #expect(page.body.contains(world.matter.department.nameEn.htmlEscaped()))
            #expect(!page.body.contains(world.clerkAccount.displayName))
        }
    }

    @Test("The queue lists the department's submitted cases, filtered by status and due date")
    func queue() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let first = try await world.submittedCase()
            _ = try await world.draftWithMaterials()
            let number = try #require(try await Case.find(first, on: app.db)?.number)
            let all = try await world.clerk.get("/office/queue")
            #expect(all.status == .ok)
            #expect(all.body.contains(number))
            #expect(!all.body.contains("ZE-2026-000002"), "drafts are not in the queue")
            #expect(!(try await world.clerk.get("/office/queue?status=accepted").body.contains(number)))
            #expect(try await world.clerk.post("/office/cases/\(first)/actions/accept").status == .seeOther)
            #expect(try await world.clerk.get("/office/queue?status=accepted").body.contains(number))
            #expect(!(try await world.clerk.get("/office/queue?due=overdue").body.contains(number)))
            clock.advance(by: 60 * 86400)
            try await world.signInAgain()
            let overdue = try await world.clerk.get("/office/queue?due=overdue").body
            #expect(overdue.contains(number))
            #expect(overdue.contains(#"<tr role="row" class="row-overdue">"#) && overdue.contains(#"<strong class="badge badge-overdue">Overdue</strong>"#))
            #expect(overdue.contains(#"<td role="cell" data-label="Handled by"><span class="meta">Nobody yet</span></td>"#))
            #expect(try await world.clerk.get("/office/queue?status=nonsense").status == .badRequest)

            // Names are text, never markup; and a page past the last shows the last.
            world.clerkAccount.displayName = #"Li "<b>&'"#
            try await world.clerkAccount.save(on: app.db)
            let record = try #require(try await Case.find(first, on: app.db))
            record.$assignee.id = world.clerkAccount.id
            try await record.save(on: app.db)
            let assigned = try await world.clerk.get("/office/queue?page=2").body
            #expect(assigned.contains(#"data-label="Handled by">Li &quot;&lt;b&gt;&amp;&#39;</td>"#))
            #expect(!assigned.contains("<b>&"))
            #expect(assigned.contains(number))
        }
    }
}

import LeafKit
