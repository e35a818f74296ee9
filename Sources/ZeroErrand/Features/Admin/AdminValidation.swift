import Vapor

/// Checks shared by the administrators' forms.
enum AdminValidation {
    /// An error for each field that is blank or longer than `limit` characters.
    static func required(_ fields: [String: String], _ req: Request, limit: Int = 200) -> [String: String] {
        var errors: [String: String] = [:]
        for (name, value) in fields {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { errors[name] = req.t("field.required") }
            else if trimmed.count > limit { errors[name] = req.t("field.too_long", ["count": String(limit)]) }
        }
        return errors
    }

    /// Lower-case letters, digits and hyphens: codes appear in links and files.
    static func isCode(_ code: String) -> Bool {
        (2...40).contains(code.count) && code.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
