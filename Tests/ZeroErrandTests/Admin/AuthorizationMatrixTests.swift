import Fluent
import Foundation
import Testing
@testable import ZeroErrand
import ZeroErrandCore

/// Every protected page, tried by every kind of person: each reaches what it should and nothing else.
@Suite("Authorization matrix over HTTP")
struct AuthorizationMatrixTests {
    enum Person: String, CaseIterable {
        case anonymous, citizen, clerk, supervisor, assistant, admin
    }

    @Test("Who gets which page")
    func matrix() async throws {
        try await withTestApp { (app, clock) async throws in
            let department = try #require(try await Department.query(on: app.db).filter(\.$code == "wz-psb").first())
            let point = try #require(try await ServicePoint.query(on: app.db).sort(\.$code).first())
            let matter = try #require(try await Matter.query(on: app.db).sort(\.$code).first())
            let someone = try await TestAccounts.make(app, email: Inbox.uniqueAddress("someone"), kind: .staff, roles: [.clerk],
                                                     departmentCode: "wz-notary")
            var browsers: [Person: TestBrowser] = [:]
            for person in Person.allCases {
                let browser = TestBrowser(app)
                browsers[person] = browser
                let email = Inbox.uniqueAddress(person.rawValue)
                let secret = testSecret(UInt8(Person.allCases.firstIndex(of: person)! + 20))
                switch person {
                case .anonymous: continue
                case .citizen: try await TestAccounts.make(app, email: email)
                case .clerk: try await TestAccounts.make(app, email: email, kind: .staff, roles: [.clerk], departmentCode: "wz-psb", totpSecret: secret)
                case .supervisor: try await TestAccounts.make(app, email: email, kind: .staff, roles: [.supervisor], departmentCode: "wz-psb", totpSecret: secret)
                case .assistant: try await TestAccounts.make(app, email: email, kind: .assistant, servicePointCode: point.code, totpSecret: secret)
                case .admin: try await TestAccounts.make(app, email: email, kind: .admin, totpSecret: secret)
                }
                let page = try await browser.signIn(email, totp: person == .citizen ? nil : secret, clock: clock)
                #expect(page.status == .seeOther, "\(person) signs in")
            }

            let everyone = Set(Person.allCases)
            let signedIn = everyone.subtracting([.anonymous])
            let pages: [(String, Set<Person>)] = [
                ("/", everyone),
                ("/matters", everyone),
                ("/matters/\(matter.code)", everyone),
                ("/account", signedIn),
                ("/office", [.clerk, .supervisor]),
                ("/service-point", [.assistant]),
                ("/admin", [.admin]),
                ("/admin/audit", [.admin]),
                ("/admin/departments", [.admin]),
                ("/admin/departments/new", [.admin]),
                ("/admin/departments/\(department.id!.uuidString)", [.admin]),
                ("/admin/staff", [.admin]),
                ("/admin/staff/new", [.admin]),
                ("/admin/staff/\(someone.id!.uuidString)", [.admin]),
                ("/admin/service-points", [.admin]),
                ("/admin/service-points/new", [.admin]),
                ("/admin/service-points/\(point.id!.uuidString)", [.admin]),
                ("/admin/matters/\(matter.code)", [.admin]),
            ]
            for (path, allowed) in pages {
                for person in Person.allCases {
                    let page = try await browsers[person]!.get(path)
                    if allowed.contains(person) {
                        #expect(page.status == .ok, "\(person) should reach \(path), got \(page.status)")
                    } else if person == .anonymous {
                        #expect(page.status == .seeOther && page.location?.hasPrefix("/sign-in") == true, "\(person) \(path)")
                    } else {
                        #expect(page.status == .forbidden, "\(person) must not reach \(path), got \(page.status)")
                        #expect(!page.body.contains(someone.email), "\(person) sees no staff data on \(path)")
                    }
                }
            }

            // State-changing admin routes refuse everyone else and change nothing.
            for person in [Person.citizen, .clerk, .supervisor, .assistant] {
                let browser = browsers[person]!
                #expect(try await browser.post("/admin/staff/\(someone.id!.uuidString)/suspension").status == .forbidden)
                #expect(try await browser.post("/admin/departments", ["code": "x-\(person)", "kind": "court", "nameZh": "x", "nameEn": "x",
                                                                       "cityZh": "x", "cityEn": "x", "timeZone": "UTC"]).status == .forbidden)
                #expect(try await browser.post("/admin/matters/\(matter.code)", ["nameEn": "Hacked"]).status == .forbidden)
            }
            #expect(try await Account.find(someone.id, on: app.db)?.suspendedAt == nil)
            #expect(try await Department.query(on: app.db).filter(\.$code ~~ "x-").count() == 0)
            #expect(try await Matter.find(matter.id, on: app.db)?.nameEn == matter.nameEn)
        }
    }

    @Test("Unknown and citizen identifiers in admin routes get 404")
    func unknownIdentifiers() async throws {
        try await withTestApp { (app, clock) async throws in
            let secret = testSecret(40)
            let email = Inbox.uniqueAddress("admin")
            try await TestAccounts.make(app, email: email, kind: .admin, totpSecret: secret)
            let citizen = try await TestAccounts.make(app, email: Inbox.uniqueAddress("citizen"))
            let browser = TestBrowser(app)
            try await browser.signIn(email, totp: secret, clock: clock)
            #expect(try await browser.get("/admin/staff/\(citizen.id!.uuidString)").status == .notFound)
            #expect(try await browser.get("/admin/staff/\(UUID().uuidString)").status == .notFound)
            #expect(try await browser.get("/admin/staff/not-a-uuid").status == .notFound)
            #expect(try await browser.get("/admin/departments/\(UUID().uuidString)").status == .notFound)
            #expect(try await browser.get("/admin/service-points/\(UUID().uuidString)").status == .notFound)
            #expect(try await browser.get("/admin/matters/NOPE").status == .notFound)
        }
    }
}
