import Foundation
import Vapor
import ZeroErrandCore
import ZeroErrandPrint

/// The signed power of attorney and the relative's pass card, as PDFs.
enum MandatePrints {
    /// The terms exactly as signed, then who signed, when, at which identity level, and the SHA-256
    /// that the signature and the audit log hold.
    static func document(terms: String, mandate: Mandate, signature: Signature, signer: String, verifyURL: String) throws -> [UInt8] {
        var blocks: [PrintedDocument.Block] = [.title("授权委托书 / Power of attorney")]
        blocks.append(.monospace(terms))
        blocks.append(.heading("签署 / Signature"))
        blocks.append(.fields([
            (label: "签署人 / Signed by", value: signer),
            (label: "签署时间 / Signed at", value: homeTime(signature.signedAt)),
            (label: "身份等级 / Identity level", value: String(signature.identityLevel)),
            (label: "确认方式 / Confirmed with", value: signature.method == "totp" ? "动态验证码 / authenticator code" : "恢复码 / recovery code"),
            (label: "条款 SHA-256 / Terms SHA-256", value: signature.sha256),
            (label: "签名编号 / Signature ID", value: try signature.requireID().uuidString.lowercased()),
        ]))
        if mandate.status == .revoked, let revokedAt = mandate.revokedAt {
            blocks.append(.paragraph("本委托已于 \(homeTime(revokedAt)) 撤销。 / This mandate was revoked at \(homeTime(revokedAt))."))
        }
        blocks.append(.qr(try QRCode(encoding: verifyURL), caption: verifyURL))
        let document = PrintedDocument(title: "授权委托书 / Power of attorney", author: "ZeroErrand", pageSize: .a4, blocks: blocks)
        return try PDFRenderer.render(document, creationDate: signature.signedAt)
    }

    /// A card the size of an ID card, on one page: who may act for whom, until when (days in China),
    /// the code, and its QR beside them.
    static func passCard(code: String, url: String, mandate: Mandate, principal: String, now: Date) throws -> [UInt8] {
        let document = PrintedDocument(title: "委托凭证 / Mandate pass", author: "ZeroErrand", pageSize: .card, blocks: [
            .heading("委托凭证 / Mandate pass"),
            .fieldsBesideQR([
                (label: "受托人 Agent", value: "\(mandate.proxyName) \(mandate.proxyIDMasked)"),
                (label: "委托人 Principal", value: principal),
                (label: "有效期 Valid", value: "\(mandate.validFrom) – \(mandate.validUntil) 北京时间 / China time"),
                (label: "凭证码 Code", value: code),
            ], try QRCode(encoding: url)),
        ])
        return try PDFRenderer.render(document, creationDate: mandate.answeredAt ?? now)
    }

    /// The paper is read at home, where the mandate's days are counted: China time, zone named.
    private static func homeTime(_ date: Date) -> String {
        TimeDisplay.format(date, in: Mandate.zone)
    }

    static func response(_ bytes: [UInt8], filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: Data(bytes)))
    }
}
