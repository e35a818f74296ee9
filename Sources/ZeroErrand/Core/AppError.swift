import Vapor

/// Errors a person can see. Each names a translation key; the message is rendered in the
/// viewer's language by `ErrorPageMiddleware`.
struct AppError: AbortError {
    let status: HTTPResponseStatus
    let key: String
    var arguments: [String: String] = [:]

    var reason: String { key }

    static let notFound = AppError(status: .notFound, key: "error.not_found")
    static let forbidden = AppError(status: .forbidden, key: "error.forbidden")
    static let signInRequired = AppError(status: .unauthorized, key: "error.sign_in_required")
    static let csrf = AppError(status: .forbidden, key: "error.csrf")
    static let badRequest = AppError(status: .badRequest, key: "error.bad_request")
}
