import Vapor

/// The one error path: an HTML page or `{"error": {...}}` by the Accept header, in the
/// viewer's language, never a stack trace or SQL.
struct ErrorPageMiddleware: AsyncMiddleware {
    struct ErrorBody: Content {
        struct Detail: Content { let status: Int; let code: String; let message: String }
        let error: Detail
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await render(error, for: request)
        }
    }

    private func render(_ error: any Error, for request: Request) async -> Response {
        let status: HTTPResponseStatus
        let key: String
        var arguments: [String: String] = [:]
        var retryAfter: Int?
        var allow: String?
        switch error {
        case let error as AppError:
            (status, key, arguments, retryAfter, allow) = (error.status, error.key, error.arguments, error.retryAfter, error.allow)
        case let error as any AbortError:
            status = error.status
            key = Self.key(for: error.status)
        case is DecodingError:
            (status, key) = (.badRequest, "error.bad_request")
        default:
            (status, key) = (.internalServerError, "error.internal")
        }
        if status == .internalServerError {
            // Only the error's type and description go to the log; request bodies never do.
            request.logger.report(error: error)
        }
        let message = request.t(key, arguments)
        let response: Response
        if request.wantsJSON {
            response = Response(status: status)
            try? response.content.encode(ErrorBody(error: .init(status: Int(status.code), code: key, message: message)))
        } else {
            do {
                response = try await PageRenderer.render("error", ErrorPage(status: Int(status.code), message: message),
                                                          title: request.t("error.title"), for: request)
                response.status = status
            } catch {
                response = Response(status: status, body: .init(string: message))
                response.headers.contentType = .plainText
            }
        }
        if status == .unauthorized { response.headers.remove(name: .wwwAuthenticate) }
        if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
        if let allow { response.headers.replaceOrAdd(name: .allow, value: allow) }
        return response
    }

    struct ErrorPage: Encodable { let status: Int; let message: String }

    static func key(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "error.bad_request"
        case 401: "error.sign_in_required"
        case 403: "error.forbidden"
        case 404: "error.not_found"
        case 405: "error.method_not_allowed"
        case 413: "error.too_large"
        case 415: "error.bad_request"
        case 422: "error.bad_request"
        case 429: "error.too_many"
        default: status.code >= 500 ? "error.internal" : "error.bad_request"
        }
    }
}

extension Request {
    /// API clients and anyone who asks for JSON first get JSON errors.
    var wantsJSON: Bool {
        if url.path.hasPrefix("/api/") { return true }
        let accept = headers.first(name: .accept) ?? ""
        guard let json = accept.range(of: "application/json") else { return false }
        guard let html = accept.range(of: "text/html") else { return true }
        return json.lowerBound < html.lowerBound
    }
}
