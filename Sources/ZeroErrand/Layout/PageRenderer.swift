import Leaf
import Vapor

/// What every page's frame needs: title, language, navigation for this person, the CSRF token.
struct Shell: Encodable {
    struct Person: Encodable {
        let name: String
        let isStaff: Bool
        let isAssistant: Bool
        let isAdmin: Bool
    }

    let title: String
    let lang: String
    let path: String
    /// Path and query, so switching language keeps a search.
    let back: String
    /// Password given, second factor not yet: the header offers signing out, not signing in.
    let pendingSignIn: Bool
    let csrf: String
    let person: Person?
    /// The other language, for the switcher.
    let otherLang: String
    let otherLangName: String
}

struct PageContext<Page: Encodable>: Encodable {
    let shell: Shell
    let page: Page
}

enum PageRenderer {
    /// Renders `Resources/Views/<template>.leaf` inside the shared layout, as UTF-8 HTML.
    static func render<Page: Encodable>(_ template: String, _ page: Page, title: String, for request: Request,
                                        status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = request.currentAccount
        let locale = request.locale
        let shell = Shell(
            title: title,
            lang: locale.rawValue,
            path: request.url.path,
            back: request.url.string,
            pendingSignIn: account == nil && request.signInSession != nil,
            csrf: request.csrfToken,
            person: account.map { Shell.Person(name: $0.displayName, isStaff: $0.kind == .staff,
                                               isAssistant: $0.kind == .assistant, isAdmin: $0.kind == .admin) },
            otherLang: locale == .zhHans ? AppLocale.en.rawValue : AppLocale.zhHans.rawValue,
            otherLangName: locale == .zhHans ? "English" : "中文")
        let view = try await request.view.render(template, PageContext(shell: shell, page: page))
        let response = try await view.encodeResponse(for: request)
        response.status = status
        response.headers.contentType = .init(type: "text", subType: "html", parameters: ["charset": "utf-8"])
        return response
    }
}

extension Request {
    func page<Page: Encodable>(_ template: String, _ page: Page, title key: String,
                               status: HTTPResponseStatus = .ok) async throws -> Response {
        try await PageRenderer.render(template, page, title: t(key), for: self, status: status)
    }
}

/// `#t("key")`: the text in the viewer's language (escaped like any value).
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string, let request = ctx.request else {
            throw Abort(.internalServerError, reason: "#t needs a key")
        }
        return .string(request.t(key))
    }
}

/// `#csrf()`: the hidden field every state-changing form carries.
struct CSRFFieldTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        let token = ctx.request?.csrfToken ?? ""
        return .string(#"<input type="hidden" name="\#(CSRFMiddleware.fieldName)" value="\#(token)">"#)
    }
}
