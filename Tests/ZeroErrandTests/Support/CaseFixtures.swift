import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Files as a phone would send them: real magic bytes, a little content.
enum SampleFiles {
    /// A file for material `index` of `matter` as a person would give it: the sample ID photo for the
    /// ID-photo material (checked against the photo rules), a PDF scan for any other.
    static func material(_ matter: Matter, _ index: Int, pdf label: String, named name: String) throws -> (bytes: [UInt8], fileName: String) {
        guard index == DeskPhoto.materialIndex(of: matter) else { return (pdf(label), name) }
        return (Array(try Data(contentsOf: URL(fileURLWithPath: TestEnvironment.packageRoot + "Tests/Fixtures/photos/good.jpg"))), "photo.jpg")
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        var stream = SHA256Stream()
        stream.update(bytes)
        return stream.hexDigest()
    }

    static func pdf(_ text: String = "passport scan") -> [UInt8] {
        Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% \(text)\n%%EOF\n".utf8)
    }
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 200)
    static let html = Array("<!doctype html><script>alert(1)</script>".utf8)
}

extension TestBrowser.Page {
    /// The case a "create draft" answer redirects to (`/cases/<id>`).
    var caseID: UUID? { location.flatMap { UUID(uuidString: String($0.dropFirst("/cases/".count))) } }
}

/// People and a case in the state a test needs.
struct CaseWorld {
    let app: Application
    let clock: ManualClock
    let citizen: TestBrowser
    let citizenAccount: Account
    let clerk: TestBrowser
    let clerkAccount: Account
    /// A matter of the police station wz-psb-wuma that can be done online at identity level 2.
    let matter: Matter

    static let matterCode = "GA-PSB-006"
    static let citizenSecret = testSecret(61)
    static let clerkSecret = testSecret(62)

    static func make(_ app: Application, _ clock: ManualClock, matterCode: String = matterCode) async throws -> CaseWorld {
        let matter = try #require(try await Matter.query(on: app.db).filter(\.$code == matterCode).with(\.$department).first())
        let citizenSecret = Self.citizenSecret, clerkSecret = Self.clerkSecret
        let citizenEmail = Inbox.uniqueAddress("citizen"), clerkEmail = Inbox.uniqueAddress("clerk")
        let citizenAccount = try await TestAccounts.make(app, email: citizenEmail, totpSecret: citizenSecret)
        let clerkAccount = try await TestAccounts.make(app, email: clerkEmail, kind: .staff, roles: [.clerk, .supervisor],
                                                       departmentCode: matter.department.code, totpSecret: clerkSecret)
        let citizen = TestBrowser(app), clerk = TestBrowser(app)
        try await citizen.signIn(citizenEmail, totp: citizenSecret, clock: clock)
        try await clerk.signIn(clerkEmail, totp: clerkSecret, clock: clock)
        return CaseWorld(app: app, clock: clock, citizen: citizen, citizenAccount: citizenAccount, clerk: clerk,
                         clerkAccount: clerkAccount, matter: matter)
    }

    /// A draft with every material that applies uploaded; returns its id.
    func draftWithMaterials() async throws -> UUID {
        let created = try await citizen.post("/matters/\(matter.code)/apply", ["details": "我需要户籍证明用于在西班牙办理居留。"])
        #expect(created.status == .seeOther)
        let id = try #require(created.caseID)
        // The materials that apply to someone applying for themselves with no conditions ticked.
        for index in matter.materials.indices where matter.materials[index].condition == nil {
            let file = try SampleFiles.material(matter, index, pdf: "material \(index)", named: "材料\(index).pdf")
            let uploaded = try await citizen.upload("/cases/\(id)/documents?purpose=material&material=\(index)",
                                                    bytes: file.bytes, fileName: file.fileName)
            #expect(uploaded.status == .created)
        }
        return id
    }

    func submittedCase() async throws -> UUID {
        let id = try await draftWithMaterials()
        #expect(try await citizen.post("/cases/\(id)/actions/submit").status == .seeOther)
        return id
    }

    /// After the clock jumps past the idle time-out, both sign in again (with fresh codes).
    func signInAgain() async throws {
        try await citizen.signIn(citizenAccount.email, totp: Self.citizenSecret, clock: clock)
        try await clerk.signIn(clerkAccount.email, totp: Self.clerkSecret, clock: clock)
    }

    func status(_ id: UUID) async throws -> CaseStatus? {
        try await Case.find(id, on: app.db)?.status
    }
}
