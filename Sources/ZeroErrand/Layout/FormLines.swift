import Foundation

/// A field's error in a form's summary at the top, linking to the field.
struct FieldErrorLine: Encodable {
    let field: String
    let message: String

    /// The form's errors in the order its fields come, for the summary at the top.
    static func list(_ errors: [String: String], order: [String]) -> [FieldErrorLine] {
        errors.sorted { (order.firstIndex(of: $0.key) ?? 99, $0.key) < (order.firstIndex(of: $1.key) ?? 99, $1.key) }
            .map { FieldErrorLine(field: $0.key, message: $0.value) }
    }
}

/// A link as a page shows it.
struct LinkLine: Encodable {
    let path: String
    let label: String
}
