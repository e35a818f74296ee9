import Vapor

/// A form page's state: what was typed (never passwords) and the error next to each field.
struct FormPage<Values: Encodable>: Encodable {
    var values: Values
    var errors: [String: String] = [:]
    /// An error about the form as a whole, announced at its top.
    var formError: String?
    var notice: String?
}

struct NoValues: Encodable {}

struct RegisterValues: Encodable {
    /// On a service point's shared computer: nothing typed is offered for saving or filling.
    var atDesk = false
    var email = ""
    var displayName = ""
    var timeZone = ""
    var timeZones: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()
    /// At a desk the visitor's own language for their mail and pages, not the desk screen's.
    var language = AppLocale.zhHans.rawValue
}

struct SignInValues: Encodable {
    var email = ""
    var next = ""
}

struct TokenValues: Encodable {
    var token = ""
    var email = ""
}

struct MessagePage: Encodable {
    let heading: String
    let message: String
    var linkPath: String?
    var linkText: String?
}
