import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Applications over the JSON API")
struct CaseAPITests {
    struct Token: Decodable { let token: String }
    struct CaseBody: Decodable { let id: UUID; let number: String; let status: String; let allowedActions: [String]; let documents: [Doc] }
    struct Doc: Decodable { let id: UUID; let sha256: String }
    struct Entry: Decodable { let by: String; let event: String }

    func call(_ app: Application, _ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: String]? = nil,
              bytes: [UInt8]? = nil, cookie: String? = nil) async throws -> (HTTPStatus, Data) {
        var result: (HTTPStatus, Data)?
        try await app.testing().test(method, path, beforeRequest: { request in
            request.headers.replaceOrAdd(name: .accept, value: "application/json")
            if let token { request.headers.bearerAuthorization = BearerAuthorization(token: token) }
            if let cookie { request.headers.replaceOrAdd(name: .cookie, value: cookie) }
            if let json { try request.content.encode(json, as: .json) }
            if let bytes {
                request.headers.contentType = .binary
                request.headers.replaceOrAdd(name: "X-File-Name", value: "scan.pdf")
                request.body = ByteBuffer(bytes: bytes)
            }
        }, afterResponse: { response in
            result = (response.status, Data(response.body.readableBytesView))
        })
        return result!
    }

    @Test("Sign in with both factors, apply, upload, submit, read the timeline and write to the office")
    func journey() async throws {
        try await withTestApp { (app, clock) async throws in
            let secret = testSecret(80)
            let email = Inbox.uniqueAddress("api")
            try await TestAccounts.make(app, email: email, totpSecret: secret)
            let (noCode, _) = try await call(app, .POST, "/api/v1/sessions", json: ["email": email, "password": TestAccounts.password])
            #expect(noCode == .unauthorized)
            let (signedIn, tokenData) = try await call(app, .POST, "/api/v1/sessions",
                                                       json: ["email": email, "password": TestAccounts.password,
                                                              "code": TOTP(secret: secret).code(at: clock.now)])
            #expect(signedIn == .created)
            let token = try JSONDecoder().decode(Token.self, from: tokenData).token

            let (created, caseData) = try await call(app, .POST, "/api/v1/cases", token: token,
                                                     json: ["matter": CaseWorld.matterCode, "details": "Need the certificate for my residence permit."])
            #expect(created == .created)
            let draft = try JSONDecoder().decode(CaseBody.self, from: caseData)
            #expect(draft.status == "draft" && draft.number.hasPrefix("ZE-"))
            let matter = try #require(try await Matter.query(on: app.db).filter(\.$code == CaseWorld.matterCode).first())
            for index in matter.materials.indices where matter.materials[index].condition == nil {
                let (status, _) = try await call(app, .PUT, "/api/v1/cases/\(draft.id)/documents?material=\(index)", token: token,
                                                 bytes: SampleFiles.pdf("api \(index)"))
                #expect(status == .created)
            }
            let (submitted, submittedData) = try await call(app, .POST, "/api/v1/cases/\(draft.id)/actions/submit", token: token)
            #expect(submitted == .ok)
            let after = try JSONDecoder().decode(CaseBody.self, from: submittedData)
            #expect(after.status == "submitted" && after.documents.count == matter.materials.filter { $0.condition == nil }.count)
            #expect(after.allowedActions == ["withdraw"])

            let (_, timelineData) = try await call(app, .GET, "/api/v1/cases/\(draft.id)/timeline", token: token)
            let timeline = try JSONDecoder().decode([Entry].self, from: timelineData)
            #expect(timeline.first?.event == "create" && timeline.last?.event == "submit")
            let (sent, _) = try await call(app, .POST, "/api/v1/cases/\(draft.id)/messages", token: token, json: ["body": "When will it be ready?"])
            #expect(sent == .created)
            let (again, _) = try await call(app, .POST, "/api/v1/cases/\(draft.id)/actions/submit", token: token)
            #expect(again == .conflict)
        }
    }

    @Test("The API ignores the browser's session cookie, and another citizen's token reaches nothing")
    func authorization() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.draftWithMaterials()
            let cookie = "ze_session=\(world.citizen.cookies["ze_session"] ?? "")"
            let (withCookie, _) = try await call(app, .GET, "/api/v1/cases/\(id)", cookie: cookie)
            #expect(withCookie == .unauthorized)

            let email = Inbox.uniqueAddress("other")
            try await TestAccounts.make(app, email: email)
            let (_, tokenData) = try await call(app, .POST, "/api/v1/sessions", json: ["email": email, "password": TestAccounts.password])
            let token = try JSONDecoder().decode(Token.self, from: tokenData).token
            let (message, _) = try await call(app, .POST, "/api/v1/cases/\(id)/messages", token: token, json: ["body": "hi"])
            #expect(message == .notFound)
            for (method, path) in [(HTTPMethod.GET, "/api/v1/cases/\(id)"), (.GET, "/api/v1/cases/\(id)/timeline"),
                                   (.GET, "/api/v1/cases/\(id)/messages"), (.POST, "/api/v1/cases/\(id)/actions/submit")] {
                let (status, body) = try await call(app, method, path, token: token)
                #expect(status == .notFound, "\(method) \(path)")
                #expect(!String(decoding: body, as: UTF8.self).contains("ZE-2026"))
            }
            let (upload, _) = try await call(app, .PUT, "/api/v1/cases/\(id)/documents?purpose=attachment", token: token, bytes: SampleFiles.pdf())
            #expect(upload == .notFound)
            let (mine, list) = try await call(app, .GET, "/api/v1/cases", token: token)
            #expect(mine == .ok && String(decoding: list, as: UTF8.self) == "[]")
        }
    }
}
