import Foundation
import Vapor

/// `/api/v1/verifications/{file,number,qr}` and `/api/v1/seal-certificates`, described in
/// `/openapi.json`. Anonymous, like the pages; every answer and error is in the language asked for
/// (`?lang=` or Accept-Language), since the reader may be a clerk abroad.
struct VerificationAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, SiteURL.apiVerifyFile.route, body: .stream, use: file)
        routes.post(SiteURL.apiVerifyNumber.route, use: number)
        routes.post(SiteURL.apiVerifyQR.route, use: qr)
        routes.get(SiteURL.apiSealCertificates.route, use: certificates)
    }

    struct NumberBody: Content {
        let number: String
        let code: String
    }

    struct QRBody: Content {
        let payload: String
    }

    @Sendable func file(req: Request) async throws -> Response {
        await answer(req, .file) {
            // Generic clients that cannot name a PDF send octet-stream; the seal decides what the bytes are.
            guard req.headers.contentType?.type == "application", ["pdf", "octet-stream"].contains(req.headers.contentType?.subType) else {
                throw VerificationInputError.notPDF
            }
            _ = try await req.throttleVerification(.file)
            let body = try await req.verificationBody(limit: CertificateRegister.maxFileBytes)
            return try await req.certificateRegister.check(file: Array(body.readableBytesView))
        }
    }

    @Sendable func number(req: Request) async throws -> Response {
        await answer(req, .number) {
            let body = try decode(NumberBody.self, req)
            let key = try await req.throttleVerification(.number)
            let verdict = try await req.certificateRegister.check(number: body.number, code: body.code)
            if verdict != .unknown { try await req.throttles.refund(key) }
            return verdict
        }
    }

    @Sendable func qr(req: Request) async throws -> Response {
        await answer(req, .qr) {
            try await req.certificateRegister.check(qrPayload: try decode(QRBody.self, req).payload)
        }
    }

    @Sendable func certificates(req: Request) async throws -> SealCertificateListDTO {
        let published = try await PublishedSeals.load(on: req.db)
        let iso = ISO8601DateFormatter()
        return SealCertificateListDTO(certificates: published.entries.map { entry in
            SealCertificateDTO(keyID: entry.key.keyID, kind: entry.key.kind.rawValue, officeZh: entry.officeZh, officeEn: entry.officeEn,
                               subject: entry.certificate.commonName ?? "", notBefore: iso.string(from: entry.key.notBefore),
                               notAfter: iso.string(from: entry.key.notAfter), current: entry.key.retiredAt == nil,
                               retiredAt: entry.key.retiredAt.map(iso.string(from:)), pem: entry.key.certificatePEM,
                               pemURL: SiteURL.verifyCertificateFile(name: entry.key.keyID + ".pem").path)
        })
    }

    /// Bodies too large for JSON are refused by Vapor itself (413, the app's error shape).
    private func decode<Body: Decodable>(_ type: Body.Type, _ req: Request) throws -> Body {
        guard req.headers.contentType == .json else { throw VerificationInputError.notJSON }
        do {
            return try req.content.decode(Body.self)
        } catch {
            throw VerificationInputError.unreadable
        }
    }

    /// Runs a check and turns its verdict, or the reason it could not run, into JSON in the reader's language.
    private func answer(_ req: Request, _ path: VerificationPath, _ check: () async throws -> CertificateVerdict) async -> Response {
        let language = req.verificationLanguage
        let texts = req.dependencies.verificationTexts
        let response = Response(status: .ok)
        do {
            try response.content.encode(VerificationDTO(try await check(), path: path, texts: texts, language: language))
        } catch let error as VerificationInputError {
            response.status = HTTPResponseStatus(statusCode: error.status)
            try? response.content.encode(ErrorPageMiddleware.ErrorBody(error: .init(
                status: error.status, code: "verification." + error.textKey, message: texts.text(error.textKey, language))))
            if case .throttled(let until) = error {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(max(1, Int(until.timeIntervalSince(req.now).rounded(.up)))))
            }
        } catch {
            // Only a fault of ours is left (the database): the one error path renders it.
            response.status = .internalServerError
            req.logger.report(error: error)
            try? response.content.encode(ErrorPageMiddleware.ErrorBody(error: .init(
                status: 500, code: "error.internal", message: req.t("error.internal"))))
        }
        return response
    }
}
