import Fluent
import Vapor
import ZeroErrandCore

/// The wallet page, and taking a material from it onto a case. The case route goes through
/// `CaseAccess` like every case route; the wallet shows only the signed-in citizen's own results.
struct WalletController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.wallet.route, use: show)
        own.post(SiteURL.caseWalletMaterial(id: ":id").route, use: share)
    }

    struct Page: Encodable {
        struct Line: Encodable {
            let name: String
            let path: String
            let matter: String
            let issuer: String
            let caseNumber: String
            let issued: String
            let sha256: String
            let revoked: Bool
            let sharedWith: [String]
        }

        let items: [Line]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let items = try await req.wallet.items(of: account)
        let ids = items.compactMap(\.document.id)
        let copies = ids.isEmpty ? [] : try await CaseDocument.query(on: req.db).filter(\.$issuedFrom ~~ ids)
            .with(\.$caseRecord) { $0.with(\.$department) }.all()
        let lines = items.map { item in
            let id = item.document.id!
            return Page.Line(name: item.document.originalName,
                             path: SiteURL.caseDocument(id: item.document.$caseRecord.id.uuidString, document: id.uuidString).path,
                             matter: item.matter, issuer: item.issuer, caseNumber: item.caseNumber,
                             issued: req.showTime(item.document.createdAt), sha256: item.document.sha256, revoked: item.revoked,
                             sharedWith: copies.filter { $0.issuedFrom == id }.map {
                                 req.t("wallet.shared_with", ["office": $0.caseRecord.department.name(req.locale), "number": $0.caseRecord.number])
                             })
        }
        return try await req.page("wallet/show", Page(items: lines), title: "wallet.title")
    }

    struct ShareForm: Content {
        var document: String?
        var material: String?
        var consent: String?
    }

    @Sendable func share(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantSideCase(req, for: .upload)
        let form = try req.content.decode(ShareForm.self)
        _ = try await req.wallet.share(form.document.flatMap(UUID.init(uuidString:)), into: record,
                                       material: form.material.flatMap { Int($0) }, consent: form.consent == "on")
        return req.redirect(to: SiteURL.caseDetail(id: try record.requireID().uuidString).path + "#materials", redirectType: .normal)
    }
}
