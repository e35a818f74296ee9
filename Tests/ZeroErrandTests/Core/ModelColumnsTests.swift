import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import ZeroErrand

/// The hot reads written as fixed SQL text (`ModelColumns`) give the models Fluent gives, on the
/// database the suite runs on, and name every column Fluent knows: a field added to a model and
/// forgotten in its list fails here, not on a page.
@Suite("Fixed-text reads match Fluent's")
struct ModelColumnsTests {
    @Test("Every column list names each of the model's fields once")
    func everyField() {
        func check<M: Model>(_ columns: ModelColumns<M>) {
            #expect(columns.keys.sorted() == M.keys.map(\.description).sorted(), "\(M.schema)")
        }
        check(Account.columns)
        check(SignInSession.columns)
        check(Department.columns)
        check(Case.columns)
        check(CaseDocument.columns)
        check(CaseEvent.columns)
        check(CaseMessage.columns)
        check(CasePause.columns)
        check(CaseRating.columns)
        check(VideoSession.columns)
    }

    @Test("A case, its session and its lines read the same values as Fluent reads, and the lines come in their order")
    func sameValues() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            for body in ["Please send the original.", "<b>second</b> message"] {
                clock.advance(by: 60)
                #expect(try await world.clerk.post("/office/cases/\(id)/messages", ["body": body]).status == .seeOther)
            }
            #expect(try await world.clerk.post("/office/cases/\(id)/assignee", ["assignee": world.clerkAccount.id!.uuidString]).status == .seeOther)

            // The case with its office, its applicant and its assignee.
            let fluent = try #require(try await Case.query(on: app.db).filter(\.$id == id).with(\.$department)
                .with(\.$applicant).with(\.$assignee).first())
            let fixed = try #require(try await CaseAccess.read(id, withPeople: true, on: app.db))
            try #expect(Self.json(fixed) == Self.json(fluent))
            try #expect(Self.json(fixed.department) == Self.json(fluent.department))
            try #expect(Self.json(fixed.applicant) == Self.json(fluent.applicant))
            try #expect(Self.json(try #require(fixed.assignee)) == Self.json(try #require(fluent.assignee)))
            #expect(fixed.$id.exists && !fixed.hasChanges)
            #expect(try await CaseAccess.read(UUID(), withPeople: false, on: app.db) == nil)

            // Its lines, with who acted and wrote; the citizen was notified of the messages. (A
            // pause and a rating written straight in, to read them back alongside.)
            try await CasePause(caseID: id, fromOn: "2026-12-01").create(on: app.db)
            let rating = CaseRating()
            (rating.$caseRecord.id, rating.score, rating.comment, rating.createdAt) = (id, 4, "快", clock.now)
            try await rating.create(on: app.db)
            let lines = try await CaseLines.read(case: id, viewer: world.citizenAccount.id, on: app.db)
            let documents = try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == id).sort(\.$createdAt).all()
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseRecord.$id == id).with(\.$actor).sort(\.$occurredAt).all()
            let messages = try await CaseMessage.query(on: app.db).filter(\.$caseRecord.$id == id).with(\.$author).sort(\.$createdAt).all()
            #expect(!documents.isEmpty && events.count >= 3 && messages.count == 2)
            // Lines made in the same instant (the test clock stands still) may come in either order.
            try #expect(lines.documents.map(Self.json).sorted() == documents.map(Self.json).sorted())
            try #expect(lines.events.map(Self.json).sorted() == events.map(Self.json).sorted())
            #expect(lines.events.map(\.occurredAt) == events.map(\.occurredAt))
            try #expect(lines.messages.map(Self.json) == messages.map(Self.json))
            #expect(lines.messages.map(\.body) == ["Please send the original.", "<b>second</b> message"])
            #expect(lines.messages.map(\.author.displayName) == messages.map(\.author.displayName))
            #expect(lines.viewerHasUnreadNotifications)
            let pauses = try await CasePause.query(on: app.db).filter(\.$caseRecord.$id == id).all()
            try #expect(lines.pauses.map(Self.json) == pauses.map(Self.json) && pauses.count == 1)
            try #expect(lines.rating.map(Self.json) == Self.json(rating) && lines.pauses.first?.toOn == nil)
            #expect(lines.videoSessions.isEmpty)
            #expect(try await CaseLines.read(case: id, viewer: world.clerkAccount.id, on: app.db).viewerHasUnreadNotifications == false)

            // Opening the page reads them; the page then finds nothing unread.
            #expect(try await world.citizen.get("/cases/\(id)").status == .ok)
            #expect(try await CaseLines.read(case: id, viewer: world.citizenAccount.id, on: app.db).viewerHasUnreadNotifications == false)
            #expect(try await AccountNotification.query(on: app.db).filter(\.$caseRecord.$id == id)
                .filter(\.$account.$id == world.citizenAccount.requireID()).filter(\.$readAt == nil).count() == 0)
        }
    }

    @Test("The session read gives the session and account Fluent gives, and updates only what changed")
    func session() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let stored = try #require(try await SignInSession.query(on: app.db).filter(\.$account.$id == world.citizenAccount.requireID())
                .filter(\.$stage == .signedIn).with(\.$account).first())
            let (session, account) = try #require(try await SessionAuthenticator.session(stored.tokenHash, on: app.db))
            try #expect(Self.json(session) == Self.json(stored))
            try #expect(Self.json(account) == Self.json(stored.account))
            #expect(try await SessionAuthenticator.session("no such hash' OR '1'='1", on: app.db) == nil)

            session.lastSeenAt = clock.now.addingTimeInterval(5)
            try await session.update(on: app.db)
            let after = try #require(try await SignInSession.find(session.requireID(), on: app.db))
            #expect(after.lastSeenAt.timeIntervalSince1970.rounded() == clock.now.addingTimeInterval(5).timeIntervalSince1970.rounded())
            #expect(after.tokenHash == stored.tokenHash && after.stage == stored.stage)
        }
    }

    @Test("On PostgreSQL the lines are a statement each connection prepares once, and prepares again when it lost it")
    func preparedOnce() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            let viewer = try world.citizenAccount.requireID()
            guard try app.db.sql().dialect.name == "postgresql" else {
                #expect(try await CaseLines.prepared.rows([id.uuidString, viewer.uuidString], on: app.db) == nil)
                return
            }
            // Through the pool, several times: prepared on whichever connection, then executed.
            for _ in 0..<3 { #expect(try await CaseLines.prepared.rows([id.uuidString, viewer.uuidString], on: app.db)?.count ?? 0 >= 4) }
            try await app.db.withConnection { connection in
                let sql = try connection.sql()
                let count = { try await sql.raw("SELECT COUNT(*) AS n FROM pg_prepared_statements WHERE name = 'ze_case_lines'").first()?
                    .decode(column: "n", as: Int.self) }
                try await sql.raw("DEALLOCATE ALL").run()
                let first = try await CaseLines.prepared.rows([id.uuidString, viewer.uuidString], onConnection: sql)
                #expect(try await count() == 1)
                let again = try await CaseLines.prepared.rows([id.uuidString, viewer.uuidString], onConnection: sql)
                #expect(first.count == again.count && first.count >= 4)
                try await sql.raw("DEALLOCATE ze_case_lines").run()
                #expect(try await CaseLines.prepared.rows([id.uuidString, viewer.uuidString], onConnection: sql).count == first.count)
                #expect(try await count() == 1)
                return ()
            }
            // Inside a transaction the plain text is sent: a failed EXECUTE would end it.
            try await app.db.transaction { (transaction: any Database) async throws -> Void in
                #expect(try await CaseLines.prepared.rows([id.uuidString, viewer.uuidString], on: transaction) == nil)
                #expect(try await CaseLines.read(case: id, viewer: viewer, on: transaction).events.count >= 2)
            }
        }
    }

    /// A model as its fields encode (Fluent's `Codable`): every stored value, parents by id.
    static func json<M: Model>(_ model: M) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(model), as: UTF8.self)
    }
}
