import Crypto
import Foundation
import NIOCore
import Testing
import Vapor
import X509
@testable import ZeroErrand
import ZeroErrandCore
import ZeroErrandSeal

/// The public pages and the JSON API, as an anonymous visitor and a partner's client use them.
@Suite("Verification pages and API")
struct VerificationWebTests {
    @Test("The page in Spanish: forms, a number and code answered in Spanish with every field, the language switcher")
    func spanishPage() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let visitor = TestBrowser(app, language: "de")
            let form = try await visitor.get("/verify?lang=es")
            #expect(form.status == .ok)
            #expect(form.body.contains(TestBrowserHTML.escape(VerificationTextsProbe.es(app, "title"))))
            #expect(form.body.contains("enctype=\"multipart/form-data\""))
            for code in ["zh-Hans", "en", "it", "fr"] { #expect(form.body.contains("href=\"/verify?lang=\(code)\"")) }

            let answer = try await visitor.post("/verify/number?lang=es", ["number": issued.number, "code": "abcde-fghjk"])
            #expect(answer.status == .ok)
            #expect(answer.body.contains("data-verdict=\"genuine\""))
            #expect(answer.body.contains(VerificationTextsProbe.es(app, "genuine")))
            #expect(answer.body.contains(VerificationTextsProbe.es(app, "holder")))
            #expect(answer.body.contains(TestBrowserHTML.escape(issued.number)))
            #expect(answer.body.contains("Wenzhou Notary Office, Zhejiang"))
            #expect(answer.body.contains(issued.documentSHA256.hex))
            #expect(answer.body.contains("(Asia/Shanghai)"), "the office's zone is named beside the date")
            #expect(answer.body.contains(" de 20"), "the date is written in Spanish")

            let wrong = try await visitor.post("/verify/number?lang=es", ["number": issued.number, "code": "zzzzz-zzzzz"])
            #expect(wrong.body.contains("data-verdict=\"unknown\""))
            #expect(wrong.body.contains(VerificationTextsProbe.es(app, "unknown_text")))
            #expect(!wrong.body.contains(issued.documentSHA256.hex), "nothing of the certificate behind a wrong code")

            let empty = try await visitor.post("/verify/number?lang=es", ["number": "", "code": ""])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains(VerificationTextsProbe.es(app, "error_number")))

            try await CertificateFixtures.revoke(app, issued, at: clock.now, reason: "Anulado por error material")
            let revoked = try await visitor.post("/verify/number?lang=es", ["number": issued.number, "code": issued.code])
            #expect(revoked.body.contains("data-verdict=\"revoked\""))
            #expect(revoked.body.contains("Anulado por error material"))
            #expect(revoked.body.contains(VerificationTextsProbe.es(app, "revoked_on")))
        }
    }

    @Test("Uploading the PDF through the page's multipart form: genuine, then altered with one byte changed; the form needs its CSRF token")
    func uploadForm() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let visitor = TestBrowser(app, language: "fr")
            _ = try await visitor.get("/verify")
            let token = try #require(visitor.cookies[CSRFMiddleware.cookieName])
            let genuine = try await visitor.multipart("/verify/file?lang=fr", file: issued.pdf, csrf: token)
            #expect(genuine.status == .ok)
            #expect(genuine.body.contains("data-verdict=\"genuine\""))
            #expect(genuine.body.contains(VerificationTextsProbe.text(app, "genuine", .fr)))
            let altered = try await visitor.multipart("/verify/file?lang=fr", file: Tamper.flip(issued.pdf, at: issued.pdf.count / 2), csrf: token)
            #expect(altered.body.contains("data-verdict=\"altered\""))
            #expect(altered.body.contains(TestBrowserHTML.escape(VerificationTextsProbe.text(app, "altered_text", .fr))))
            let forged = try await visitor.multipart("/verify/file?lang=fr", file: issued.pdf, csrf: "x")
            #expect(forged.status == .forbidden)
            let none = try await visitor.multipart("/verify/file?lang=fr", file: [], csrf: token)
            #expect(none.status == .unprocessableEntity)
        }
    }

    @Test("The QR page embeds every published office key for the offline check and loads its script; no inline script")
    func qrPage() async throws {
        try await withTestApp { app, clock in
            _ = try await CertificateFixtures.issue(app, clock)
            let page = try await TestBrowser(app).get("/verify/qr?lang=it")
            #expect(page.status == .ok)
            #expect(page.body.contains("/js/verify-qr.js"))
            #expect(page.body.contains("data-api=\"/api/v1/verifications/qr?lang=it\""))
            let published = try await PublishedSeals.load(on: app.db)
            for office in published.offices {
                #expect(page.body.contains("data-key-id=\"\(office.key.keyID)\""))
                #expect(page.body.contains(try #require(office.certificate.spkiBase64)))
            }
            #expect(!page.body.contains("<script>"), "the CSP allows no inline script")
        }
    }

    @Test("The certificates page lists root and office keys with zones; each PEM downloads and parses; unknown ids are 404")
    func certificates() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            _ = try await SealKeyring(application: app, db: app.db, context: .system).rotate(issued.department)
            let browser = TestBrowser(app)
            let page = try await browser.get("/verify/certificates?lang=en")
            #expect(page.status == .ok)
            #expect(page.body.contains("Platform root"))
            #expect(page.body.contains("Rotated (still verifies what it sealed)"))
            #expect(page.body.contains(", UTC+00:00)"), "the viewer's zone (UTC when signed out) is named")
            let keys = try await SealKey.query(on: app.db).all()
            #expect(keys.count == 3)
            for key in keys {
                let pem = try await browser.get("/verify/certificates/\(key.keyID).pem")
                #expect(pem.status == .ok)
                #expect(pem.headers.contentType?.subType == "x-pem-file")
                let certificate = try Certificate(pemEncoded: pem.body)
                #expect(CertificateQRPayload.keyID(of: try #require(P256.Signing.PublicKey(certificate.publicKey)))
                    .map { String(format: "%02x", $0) }.joined() == key.keyID)
            }
            #expect(try await browser.get("/verify/certificates/0000000000000000.pem").status == .notFound)
            #expect(try await browser.get("/verify/certificates/\(keys[0].keyID)").status == .notFound, "only the .pem name")
            #expect(try await browser.get("/verify/certificates/zzzzzzzzzzzzzzzz.pem").status == .notFound)
        }
    }

    @Test("The API answers the documented JSON for file, number and code, and QR, in the language asked for")
    func api() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let client = TestBrowser(app, language: "it")
            client.accept = "application/json"

            let number = try await client.json(.POST, "/api/v1/verifications/number", ["number": issued.number, "code": issued.code])
            #expect(number.status == .ok)
            let answer = try JSONDecoder().decode(VerificationDTO.self, from: Data(number.bytes))
            #expect(answer.verdict == "genuine")
            #expect(answer.language == "it")
            #expect(answer.message == VerificationTextsProbe.presenter(app, .it).present(.genuine(try #require(answer.registered)), path: .number).message)
            #expect(answer.certificate?.number == issued.number)
            #expect(answer.certificate?.issuedOn == issued.issuedOn.description)
            #expect(answer.certificate?.officeTimeZone == "Asia/Shanghai")
            #expect(answer.certificate?.documentSHA256 == issued.documentSHA256.hex)
            #expect(answer.revocation == nil)

            let file = try await client.pdf("/api/v1/verifications/file?lang=es", issued.pdf)
            #expect(try JSONDecoder().decode(VerificationDTO.self, from: Data(file.bytes)).verdict == "genuine")
            let altered = try await client.pdf("/api/v1/verifications/file", Tamper.flip(issued.pdf, at: 100))
            #expect(try JSONDecoder().decode(VerificationDTO.self, from: Data(altered.bytes)).verdict == "altered")
            let notPDF = try await client.json(.POST, "/api/v1/verifications/file", ["file": "x"])
            #expect(notPDF.status == .unsupportedMediaType)
            let empty = try await client.pdf("/api/v1/verifications/file", [])
            #expect(empty.status == .unprocessableEntity)

            let qr = try await client.json(.POST, "/api/v1/verifications/qr?lang=fr", ["payload": issued.payload])
            let qrAnswer = try JSONDecoder().decode(VerificationDTO.self, from: Data(qr.bytes))
            #expect(qrAnswer.verdict == "genuine")
            #expect(qrAnswer.language == "fr")
            let badType = try await client.json(.POST, "/api/v1/verifications/qr", ["payload": 5])
            #expect(badType.status == .badRequest)
            #expect(badType.body.contains(VerificationTextsProbe.text(app, "error_unreadable", .it)))
            let blank = try await client.json(.POST, "/api/v1/verifications/number?lang=es", ["number": "", "code": "x"])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.contains("verification.error_number"))
            #expect(blank.body.contains(VerificationTextsProbe.text(app, "error_number", .es)))

            try await CertificateFixtures.revoke(app, issued, at: clock.now, reason: "revocato")
            let revoked = try JSONDecoder().decode(VerificationDTO.self, from: Data(
                try await client.json(.POST, "/api/v1/verifications/qr", ["payload": issued.payload]).bytes))
            #expect(revoked.verdict == "revoked")
            #expect(revoked.revocation?.reason == "revocato")

            let list = try await client.get("/api/v1/seal-certificates")
            #expect(list.status == .ok)
            let certificates = try JSONDecoder().decode(SealCertificateListDTO.self, from: Data(list.bytes)).certificates
            #expect(Set(certificates.map(\.kind)) == ["root", "office"])
            #expect(certificates.allSatisfy { (try? Certificate(pemEncoded: $0.pem)) != nil })
        }
    }

    @Test("Number and code lookups are throttled per client after 20 misses")
    func throttled() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let client = TestBrowser(app)
            var statuses: [HTTPStatus] = []
            for attempt in 0..<21 {
                statuses.append(try await client.json(.POST, "/api/v1/verifications/number",
                                                      ["number": issued.number, "code": "WRONG-\(attempt)"]).status)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == .ok })
            let blocked = try await client.json(.POST, "/api/v1/verifications/number", ["number": issued.number, "code": issued.code])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: .retryAfter) != nil)
        }
    }

    @Test("zeroerrand verify: genuine with the downloaded certificates, altered with a byte changed, unknown against other roots")
    func offlineCommand() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ze-verify-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let browser = TestBrowser(app)
            for key in try await SealKey.query(on: app.db).all() {
                let pem = try await browser.get("/verify/certificates/\(key.keyID).pem")
                try Data(pem.bytes).write(to: directory.appendingPathComponent("\(key.keyID).pem"))
            }
            let certificates = try OfflineCertificateCheck.certificates(inDirectory: directory.path)
            let page = "http://127.0.0.1:8080/verify"

            let genuine = await OfflineCertificateCheck.check(pdf: issued.pdf, certificates: certificates, verifyPage: page)
            #expect(genuine.exitCode == 0)
            guard case .genuine(let office, let signingTime, let reason) = genuine.outcome else {
                Issue.record("genuine expected, got \(genuine.outcome)")
                return
            }
            #expect(office == IssuedCertificate.officeZh)
            #expect(abs(signingTime.timeIntervalSince(clock.now)) < 1)
            #expect(reason == issued.number)
            #expect(genuine.lines.joined(separator: "\n").contains("Revocation cannot be known offline"))

            let altered = await OfflineCertificateCheck.check(pdf: Tamper.flip(issued.pdf, at: 2000), certificates: certificates, verifyPage: page)
            #expect(altered.exitCode == 1)
            #expect(altered.lines.first?.hasPrefix("ALTERED") == true)

            // Someone else's root only: the seal is intact but cannot be confirmed.
            let otherRoot = try SealAuthority.makeRootCertificate(privateKey: .init(), serialNumber: .init(),
                                                                  notValidBefore: clock.now, notValidAfter: clock.now.addingTimeInterval(86400))
            let unknown = await OfflineCertificateCheck.check(pdf: issued.pdf, certificates: [otherRoot], verifyPage: page)
            #expect(unknown.exitCode == 1)
            #expect(unknown.lines.first?.hasPrefix("UNKNOWN") == true)

            // Without --certificates the command reads the roots from the database: the same answer.
            let fromDatabase = try await PublishedSeals.load(on: app.db).entries.map(\.certificate)
            #expect(await OfflineCertificateCheck.check(pdf: issued.pdf, certificates: fromDatabase, verifyPage: page).exitCode == 0)

            let empty = directory.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            #expect(throws: OfflineCertificateCheck.NoCertificates.self) { try OfflineCertificateCheck.certificates(inDirectory: empty.path) }
        }
    }

    @Test("Poppler's pdfsig reads the issued certificate's seal as valid over the whole file, naming the office")
    func pdfsig() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ze-verify-\(UUID().uuidString).pdf")
            try Data(issued.pdf).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["pdfsig", file.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = Pipe()
            try process.run()
            let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(report.contains("Signature Validation: Signature is Valid."), "pdfsig (poppler-utils) said: \(report)")
            #expect(report.contains("Total document signed"))
            #expect(report.contains(IssuedCertificate.officeZh))
        }
    }
}

extension VerificationDTO {
    /// Back into the register's shape, to put into words the way the server does.
    var registered: RegisteredCertificate? {
        guard let certificate, let day = CivilDay(certificate.issuedOn) else { return nil }
        return RegisteredCertificate(number: certificate.number, holder: certificate.holder, officeZh: "", officeEn: certificate.office,
                                     matterZh: "", matterEn: certificate.matter, issuedOn: day, officeZone: certificate.officeTimeZone,
                                     sealedBy: certificate.sealedBy, documentSHA256: certificate.documentSHA256)
    }
}

enum VerificationTextsProbe {
    static func text(_ app: Application, _ key: String, _ language: VerificationTexts.Language) -> String {
        app.dependencies.verificationTexts.text(key, language)
    }

    static func es(_ app: Application, _ key: String) -> String { text(app, key, .es) }

    static func presenter(_ app: Application, _ language: VerificationTexts.Language) -> VerdictPresenter {
        VerdictPresenter(texts: app.dependencies.verificationTexts, language: language)
    }
}

enum TestBrowserHTML {
    /// As Leaf escapes text into a page.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
