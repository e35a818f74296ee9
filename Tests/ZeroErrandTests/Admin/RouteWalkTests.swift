import Fluent
import Foundation
import RoutingKit
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Every registered route that carries an identifier, read from the app's own route table (a new
/// route cannot be forgotten), tried with real identifiers of someone else's records by another
/// citizen, staff of another office, an official moved away from the case's office, and anonymously.
/// Each gets 403 or 404 (anonymous: 401 or the sign-in page) and none of the owner's bytes.
@Suite("Every identifier route, walked as the wrong person")
struct RouteWalkTests {
    /// Routes whose identifier names something public, not somebody's record.
    static let publicIdentifierRoutes: Set<String> = ["GET /matters/:code", "GET /api/v1/matters/:code",
                                                      "GET /matters/:code/apply", "POST /matters/:code/apply",
                                                      "GET /verify/certificates/:file",
                                                      // A bundle's page, and starting one's own request from it.
                                                      "GET /bundles/:code", "POST /bundles/:code",
                                                      // A point's walk-in queue, and a ticket's page by its secret token.
                                                      "GET /service-points/:code/queue", "POST /service-points/:code/queue",
                                                      "GET /queue/:token"]

    @Test("Another citizen, another office, a moved official and anonymous get 403/404 on every identifier route")
    func walk() async throws {
        try await withTestApp { (app, clock) async throws in
            // The owner's side: a citizen's submitted case with a document and a booked video
            // session (with a recording) at the office that hosts it.
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            let sessionID = try session.requireID()
            let document = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).first())
            let availability = try #require(try await VideoAvailability.query(on: app.db).first())
            let recording = VideoRecording()
            recording.$session.id = sessionID
            recording.$caseRecord.id = caseID
            recording.$startedBy.id = try world.base.clerkAccount.requireID()
            recording.status = .complete
            recording.mimeType = "video/webm"
            recording.nextChunk = 1
            recording.receivedBytes = 0
            recording.startedAt = clock.now
            try await recording.create(on: app.db)
            // The citizen's power of attorney for the matter, accepted by a relative, named on the case.
            let relative = try await TestAccounts.make(app, email: Inbox.uniqueAddress("relative"), totpSecret: testSecret(123))
            let mandate = try await MandateFixtures.accepted(app, clock, principal: world.base.citizenAccount, holder: relative,
                                                             matters: [world.base.matter.code])
            let named = try #require(try await Case.find(caseID, on: app.db))
            named.$mandate.id = try mandate.requireID()
            try await named.update(on: app.db)
            let officeID = session.$department.id
            // A line of the office's notarial journal, about the case.
            let notarization = Notarization(caseID: caseID, now: clock.now)
            try await notarization.create(on: app.db)
            let journalEntry = NotarialJournalEntry()
            journalEntry.$department.id = officeID
            journalEntry.sequence = 1
            journalEntry.kind = .act
            journalEntry.$notarization.id = try notarization.requireID()
            journalEntry.facts = try app.dependencies.secrets.sealText("{}")
            journalEntry.recordedAt = clock.now
            journalEntry.$recordedBy.id = try world.base.clerkAccount.requireID()
            try await journalEntry.create(on: app.db)
            // A mediation on the case, the citizen its filer, accepted by the office (standing in for a court).
            let mediation = Mediation()
            mediation.$caseRecord.id = caseID
            mediation.$court.id = officeID
            mediation.disputeKind = .loan
            mediation.amountMinor = 100
            mediation.currency = "EUR"
            mediation.claim = "Repayment"
            mediation.acceptedAt = clock.now
            mediation.createdAt = clock.now
            mediation.updatedAt = clock.now
            try await mediation.create(on: app.db)
            let filer = MediationParty()
            filer.$mediation.id = try mediation.requireID()
            filer.position = 0
            filer.side = .plaintiff
            filer.kind = .person
            filer.name = "Filer"
            filer.email = world.base.citizenAccount.email
            filer.country = "ES"
            filer.timeZone = "Europe/Madrid"
            filer.wakingStart = 8 * 60
            filer.wakingEnd = 22 * 60
            filer.isFiler = true
            filer.$account.id = try world.base.citizenAccount.requireID()
            filer.servedAt = clock.now
            try await filer.create(on: app.db)
            // A paper of the filer's side, named like the case's document so a leak would show.
            let blob = try await app.dependencies.documents.storeBytes(SampleFiles.pdf("the filer's side"))
            let paper = MediationDocument()
            paper.$mediation.id = try mediation.requireID()
            paper.audience = .plaintiff
            paper.$uploadedBy.id = try world.base.citizenAccount.requireID()
            paper.originalName = document.originalName
            paper.kind = .pdf
            paper.size = blob.size
            paper.sha256 = blob.sha256
            paper.storageName = blob.storageName
            paper.wrappedKey = blob.wrappedKey
            paper.createdAt = clock.now
            try await paper.create(on: app.db)
            // The citizen's petition, registered and held by the same office, with a piece of evidence.
            let petition = Petition()
            petition.number = "XF-2026-000001"
            petition.year = 2026
            petition.sequence = 1
            petition.kind = .request
            petition.$petitioner.id = try world.base.citizenAccount.requireID()
            petition.title = "Deposit"
            petition.facts = "Facts"
            petition.request = "Request"
            petition.mayContact = false
            petition.$registrar.id = officeID
            petition.$holder.id = officeID
            petition.heldSince = "2026-11-30"
            petition.stage = .received
            petition.receivedOn = "2026-11-30"
            petition.extensionDays = 0
            petition.createdAt = clock.now
            petition.updatedAt = clock.now
            try await petition.create(on: app.db)
            let evidence = PetitionDocument()
            evidence.$petition.id = try petition.requireID()
            evidence.purpose = .evidence
            evidence.level = 0
            evidence.originalName = document.originalName
            evidence.kind = document.kind
            evidence.size = document.size
            evidence.sha256 = document.sha256
            evidence.storageName = document.storageName
            evidence.wrappedKey = document.wrappedKey
            evidence.createdAt = clock.now
            try await evidence.create(on: app.db)
            // The citizen's request across offices, with their case as its first part.
            let bundle = CaseBundle()
            bundle.code = "newborn-registration"
            bundle.$applicant.id = try world.base.citizenAccount.requireID()
            bundle.details = "Our daughter"
            bundle.createdAt = clock.now
            try await bundle.create(on: app.db)
            named.$bundle.id = try bundle.requireID()
            named.bundlePart = 0
            try await named.update(on: app.db)
            let otherOffice = try #require(try await Department.query(on: app.db).filter(\.$id != officeID).first())
            let point = try #require(try await ServicePoint.query(on: app.db).sort(\.$code).first())
            let otherPoint = try #require(try await ServicePoint.query(on: app.db).sort(\.$code, .descending).first())
            // The citizen's permission for a service point, in force, given at the point's desk.
            let pointAssistant = try await TestAccounts.make(app, email: Inbox.uniqueAddress("assistant"), kind: .assistant,
                                                             servicePointCode: point.code)
            let permission = PointPermission(point: try point.requireID(), visitor: try world.base.citizenAccount.requireID(),
                                             assistant: try pointAssistant.requireID(), matters: [world.base.matter.code],
                                             createdAt: clock.now, expiresAt: clock.now.addingTimeInterval(86400))
            try await permission.create(on: app.db)
            let ticket = WalkInTicket()
            ticket.$point.id = try point.requireID()
            ticket.day = "2026-11-30"
            ticket.number = 1
            ticket.token = "route-walk-ticket"
            ticket.status = .called
            ticket.takenAt = clock.now
            try await ticket.create(on: app.db)

            // The wrong people.
            let stranger = TestBrowser(app)
            let strangerEmail = Inbox.uniqueAddress("stranger")
            try await TestAccounts.make(app, email: strangerEmail, totpSecret: testSecret(120))
            try await stranger.signIn(strangerEmail, totp: testSecret(120), clock: clock)
            let elsewhere = TestBrowser(app)
            let elsewhereAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("elsewhere"), kind: .staff,
                                                               roles: StaffRole.allCases, departmentCode: otherOffice.code,
                                                               totpSecret: testSecret(121))
            try await elsewhere.signIn(elsewhereAccount.email, totp: testSecret(121), clock: clock)
            let moved = TestBrowser(app)
            let movedAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("moved"), kind: .staff,
                                                           roles: StaffRole.allCases, totpSecret: testSecret(122))
            movedAccount.$department.id = officeID
            try await movedAccount.update(on: app.db)
            try await VideoParticipant(sessionID: sessionID, accountID: movedAccount.requireID(), role: .staff).create(on: app.db)
            try await moved.signIn(movedAccount.email, totp: testSecret(122), clock: clock)
            #expect(try await moved.get("/office/cases/\(caseID)").status == .ok, "before the move it is theirs")
            #expect(try await moved.get("/video/\(sessionID)").status == .ok)
            movedAccount.$department.id = try otherOffice.requireID()
            try await movedAccount.update(on: app.db)
            let otherDesk = TestBrowser(app)
            let otherDeskAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("desk"), kind: .assistant,
                                                               servicePointCode: otherPoint.code, totpSecret: testSecret(124))
            try await otherDesk.signIn(otherDeskAccount.email, totp: testSecret(124), clock: clock)
            // The API takes bearer tokens only: each signed-in person gets one too.
            for (browser, account) in [(stranger, strangerEmail), (elsewhere, elsewhereAccount.email), (moved, movedAccount.email),
                                       (otherDesk, otherDeskAccount.email)] {
                let holder = try #require(try await Account.query(on: app.db).filter(\.$email == account).first())
                let token = app.dependencies.random.token()
                try await SignInSession(tokenHash: app.dependencies.secrets.tokenHash(token), accountID: holder.requireID(), stage: .signedIn,
                                        now: clock.now, clientAddress: "test", userAgent: "test").create(on: app.db)
                browser.bearer = token
            }
            let anonymous = TestBrowser(app)
            let people: [(String, TestBrowser)] = [("another citizen", stranger), ("staff of another office", elsewhere),
                                                   ("a moved official", moved), ("an assistant of another service point", otherDesk),
                                                   ("anonymous", anonymous)]

            let ids: [String: String] = [
                "case": caseID.uuidString.lowercased(), "document": try document.requireID().uuidString.lowercased(),
                "session": sessionID.uuidString.lowercased(), "recording": try recording.requireID().uuidString.lowercased(),
                "availability": try availability.requireID().uuidString.lowercased(),
                "department": officeID.uuidString.lowercased(), "staff": try world.base.clerkAccount.requireID().uuidString.lowercased(),
                "point": try point.requireID().uuidString.lowercased(), "matter": world.base.matter.code,
                "mandate": try mandate.requireID().uuidString.lowercased(), "pass": try #require(mandate.passCode),
                "entry": try journalEntry.requireID().uuidString.lowercased(),
                "mediation": try mediation.requireID().uuidString.lowercased(),
                "mediationDocument": try paper.requireID().uuidString.lowercased(),
                "petition": try petition.requireID().uuidString.lowercased(),
                "petitionDocument": try evidence.requireID().uuidString.lowercased(),
                "bundle": try bundle.requireID().uuidString.lowercased(),
                "permission": try permission.requireID().uuidString.lowercased(),
                "ticket": try ticket.requireID().uuidString.lowercased(),
            ]
            let number = try #require(try await Case.find(caseID, on: app.db)).number
            var walked = 0
            for route in app.routes.all {
                let name = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                guard route.path.contains(where: { if case .parameter = $0 { true } else { false } }) else { continue }
                if Self.publicIdentifierRoutes.contains(name) { continue }
                let path = try #require(Self.fill(route.path, ids), "no identifiers known for \(name): teach this test its record")
                walked += 1
                for (who, browser) in people {
                    let page = try await browser.send(route.method, path)
                    let allowed: Set<HTTPStatus> = who == "anonymous" ? [.unauthorized, .forbidden, .notFound, .seeOther] : [.forbidden, .notFound]
                    #expect(allowed.contains(page.status), "\(name) as \(who): \(page.status)")
                    if page.status == .seeOther { #expect(page.location?.hasPrefix("/sign-in") == true, "\(name) as \(who)") }
                    #expect(!page.body.contains(world.base.citizenAccount.email) && !page.body.contains(document.originalName)
                            && !page.body.contains(number), "\(name) as \(who) shows the owner's data")
                }
            }
            #expect(walked >= 40, "walked \(walked) identifier routes")
        }
    }

    /// The route's path with each parameter replaced by an identifier of the owner's record of the
    /// kind the route names; nil for a parameter this test does not know.
    static func fill(_ path: [PathComponent], _ ids: [String: String]) -> String? {
        let root = path.first?.description ?? ""
        let head = path.count > 1 ? path[1].description : ""
        var parts: [String] = []
        for (index, component) in path.enumerated() {
            guard case .parameter(let parameter) = component else { parts.append(component.description); continue }
            let previous = index > 0 ? path[index - 1].description : ""
            let value: String? = switch parameter {
            case "document": root == "mediations" ? ids["mediationDocument"] : root == "petitions" ? ids["petitionDocument"] : ids["document"]
            case "session": ids["session"]
            case "recording": ids["recording"]
            case "chunk": "0"
            case "step": "open"
            case "entry": ids["entry"]
            case "position": "0"
            case "action": root == "office" ? "accept" : "withdraw"
            case "code": root == "office" ? ids["pass"] : ids["matter"]
            case "slot": "0"
            case "outcome": "served"
            case "case": ids["case"]
            case "id":
                switch (root, head, previous) {
                case ("cases", _, _), ("office", "cases", _), ("api", _, "cases"): ids["case"]
                case ("mandates", _, _): ids["mandate"]
                case ("mediations", _, _): ids["mediation"]
                case ("petitions", _, _): ids["petition"]
                case ("bundle-requests", _, _): ids["bundle"]
                case ("office", "video", "availability"): ids["availability"]
                case ("office", "video", _), ("video", _, _): ids["session"]
                case ("admin", "departments", _): ids["department"]
                case ("admin", "staff", _): ids["staff"]
                case ("admin", "service-points", _): ids["point"]
                case ("service-point", "permissions", _), ("account", "point-permissions", _): ids["permission"]
                case ("service-point", "queue", _): ids["ticket"]
                default: nil
                }
            default: nil
            }
            guard let value else { return nil }
            parts.append(value)
        }
        return "/" + parts.joined(separator: "/")
    }
}
