import Vapor

/// Errors a person can see. Each names a translation key; the message is rendered in the
/// viewer's language by `ErrorPageMiddleware`.
struct AppError: AbortError {
    let status: HTTPResponseStatus
    let key: String
    var arguments: [String: String] = [:]
    /// Seconds to wait, sent as `Retry-After` with a 429 or 503.
    var retryAfter: Int?
    /// The methods a 405 answer names in `Allow`.
    var allow: String?

    var reason: String { key }

    static let notFound = AppError(status: .notFound, key: "error.not_found")
    static let forbidden = AppError(status: .forbidden, key: "error.forbidden")
    static let signInRequired = AppError(status: .unauthorized, key: "error.sign_in_required")
    static let csrf = AppError(status: .forbidden, key: "error.csrf")
    static let badRequest = AppError(status: .badRequest, key: "error.bad_request")
    static let busy = AppError(status: .serviceUnavailable, key: "error.busy", retryAfter: 2)
}
