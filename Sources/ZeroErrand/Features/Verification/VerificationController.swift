import Fluent
import Foundation
import Vapor

/// The public verification pages. No sign-in: whoever holds a certificate may check it. The
/// answers come from `CertificateRegister`, the same as the API's.
struct VerificationController: RouteCollection {
    /// A multipart form around a file of at most `CertificateRegister.maxFileBytes`.
    static let maxFormBytes = CertificateRegister.maxFileBytes + 64 * 1024

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.verify.route, use: index)
        // Streamed, so the limit is ours (answered in the reader's language), not the default 1 MB.
        routes.on(.POST, SiteURL.verifyFile.route, body: .stream, use: checkFile)
        routes.post(SiteURL.verifyNumber.route, use: checkNumber)
        routes.get(SiteURL.verifyQR.route, use: qr)
        routes.get(SiteURL.verifyCertificates.route, use: certificates)
        routes.get(SiteURL.verifyCertificateFile(name: ":file").route, use: pem)
    }

    struct FileForm: Content {
        var file: File?
    }

    struct NumberForm: Content {
        var number: String?
        var code: String?
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await render(req, result: nil, error: nil, number: "")
    }

    @Sendable func checkFile(req: Request) async throws -> Response {
        do {
            _ = try await req.throttleVerification(.file)
            let body = try await req.verificationBody(limit: Self.maxFormBytes)
            guard req.headers.contentType?.type == "multipart", let boundary = req.headers.contentType?.parameters["boundary"],
                  let form = try? FormDataDecoder().decode(FileForm.self, from: body, boundary: boundary),
                  let file = form.file else { throw VerificationInputError.noFile }
            let verdict = try await req.certificateRegister.check(file: Array(file.data.readableBytesView))
            return try await render(req, result: present(req, verdict, .file), error: nil, number: "")
        } catch let error as VerificationInputError {
            return try await render(req, result: nil, error: error, number: "")
        }
    }

    @Sendable func checkNumber(req: Request) async throws -> Response {
        let form = (try? req.content.decode(NumberForm.self)) ?? NumberForm()
        let number = form.number ?? ""
        do {
            let key = try await req.throttleVerification(.number)
            let verdict = try await req.certificateRegister.check(number: number, code: form.code ?? "")
            // A right code is not a guess: only misses count against the client.
            if verdict != .unknown { try await req.throttles.refund(key) }
            return try await render(req, result: present(req, verdict, .number), error: nil, number: number)
        } catch let error as VerificationInputError {
            return try await render(req, result: nil, error: error, number: number)
        }
    }

    @Sendable func qr(req: Request) async throws -> Response {
        let language = req.verificationLanguage
        let texts = req.dependencies.verificationTexts
        let published = try await PublishedSeals.load(on: req.db)
        let keys = published.offices.compactMap { entry -> QRPage.Key? in
            guard let spki = entry.certificate.spkiBase64 else { return nil }
            return QRPage.Key(keyID: entry.key.keyID, spki: spki,
                              office: (language == .zhHans ? entry.officeZh : entry.officeEn) ?? entry.certificate.commonName ?? "")
        }
        let page = QRPage(chrome: VerificationChrome(texts: texts, language: language, path: SiteURL.verifyQR.path), keys: keys,
                          apiPath: SiteURL.apiVerifyQR.path + "?lang=" + language.rawValue,
                          scriptTexts: QRPage.scriptTextKeys.map { QRPage.Text(key: $0, text: texts.text($0, language)) })
        return try await PageRenderer.render("verify/qr", page, title: texts.text("qr_title", language), for: req)
    }

    @Sendable func certificates(req: Request) async throws -> Response {
        let language = req.verificationLanguage
        let texts = req.dependencies.verificationTexts
        let published = try await PublishedSeals.load(on: req.db)
        // Roots first, then each office's keys, newest first, so the one in use leads.
        let ordered = published.entries.filter { $0.key.kind == .root } + published.offices.reversed()
        let rows = ordered.map { entry in
            let current = entry.key.retiredAt == nil
            let name = entry.key.kind == .root ? texts.text("key_root", language)
                : (language == .zhHans ? entry.officeZh : entry.officeEn) ?? entry.certificate.commonName ?? ""
            return CertificatesPage.Row(
                name: name, keyID: entry.key.keyID,
                validFrom: req.showTime(entry.key.notBefore), validUntil: req.showTime(entry.key.notAfter),
                current: current, status: texts.text(current ? "key_current" : "key_retired", language),
                pemPath: SiteURL.verifyCertificateFile(name: entry.key.keyID + ".pem").path)
        }
        let page = CertificatesPage(chrome: VerificationChrome(texts: texts, language: language, path: SiteURL.verifyCertificates.path),
                                    rows: rows)
        return try await PageRenderer.render("verify/certificates", page, title: texts.text("published", language), for: req)
    }

    /// `<key id>.pem`: the certificate as published, for `zeroerrand verify --certificates` and for
    /// importing into a PDF reader's trust store.
    @Sendable func pem(req: Request) async throws -> Response {
        guard let name = req.parameters.get("file"), let match = name.wholeMatch(of: /([0-9a-f]{16})\.pem/),
              let key = try await SealKey.query(on: req.db).filter(\.$keyID == String(match.output.1)).first() else {
            throw AppError.notFound
        }
        let response = Response(status: .ok, body: .init(string: key.certificatePEM.hasSuffix("\n") ? key.certificatePEM : key.certificatePEM + "\n"))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "x-pem-file")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(key.keyID).pem\"")
        return response
    }

    private func present(_ req: Request, _ verdict: CertificateVerdict, _ path: VerificationPath) -> VerdictPresentation {
        VerdictPresenter(texts: req.dependencies.verificationTexts, language: req.verificationLanguage).present(verdict, path: path)
    }

    private func render(_ req: Request, result: VerdictPresentation?, error: VerificationInputError?, number: String) async throws -> Response {
        let language = req.verificationLanguage
        let texts = req.dependencies.verificationTexts
        let query = "?lang=" + language.rawValue
        let page = VerifyPage(
            chrome: VerificationChrome(texts: texts, language: language, path: SiteURL.verify.path),
            fileAction: SiteURL.verifyFile.path + query, numberAction: SiteURL.verifyNumber.path + query,
            maxMB: CertificateRegister.maxFileBytes / (1024 * 1024), number: number,
            error: error.map { texts.text($0.textKey, language) }, result: result)
        let status = error.map { HTTPResponseStatus(statusCode: $0.status) } ?? .ok
        let response = try await PageRenderer.render("verify/index", page, title: texts.text("title", language), for: req, status: status)
        if case .throttled(let until)? = error {
            response.headers.replaceOrAdd(name: .retryAfter, value: String(max(1, Int(until.timeIntervalSince(req.now).rounded(.up)))))
        }
        return response
    }
}
