import FluentKit
import Vapor
import SQLKit

/// A model's database properties named once, so that fixed SQL text can select its columns and a
/// row can fill the model through each property's own `output(from:)`: what Fluent's
/// `row.decode(fluentModel:)` does, without finding the properties by `Mirror` on every row (with
/// the SQL text built per query, the largest cost of the case page: docs/performance.md).
///
/// The models come out as Fluent's do (`$id.exists` set, nothing marked changed), so they can be
/// updated as usual. `ModelColumnsTests` checks every list against Fluent's own keys, so a field
/// added to a model and forgotten here fails a test rather than a page.
struct ModelColumns<M: Model>: Sendable {
    private let properties: @Sendable (M) -> [any AnyDatabaseProperty]
    /// The database keys, in the order given.
    let keys: [String]

    init(_ properties: @escaping @Sendable (M) -> [any AnyDatabaseProperty]) {
        self.properties = properties
        self.keys = properties(M()).flatMap { $0.keys.map(\.description) }
    }

    /// `"table"."key" AS "prefixkey", …`, for a select list with other tables joined.
    func select(_ table: String, prefix: String) -> String {
        keys.map { #""\#(table)"."\#($0)" AS "\#(prefix)\#($0)""# }.joined(separator: ", ")
    }

    /// `"table"."key", …`: for a later branch of a `UNION ALL`, whose names the first branch gives.
    func select(_ table: String) -> String {
        keys.map { #""\#(table)"."\#($0)""# }.joined(separator: ", ")
    }

    /// `NULL AS "prefixkey", …`, or only `NULL, …` without a prefix: the same columns, empty, for
    /// the other branches of a `UNION ALL`.
    func nulls(prefix: String?) -> String {
        keys.map { key in prefix.map { #"NULL AS "\#($0)\#(key)""# } ?? "NULL" }.joined(separator: ", ")
    }

    /// The model from a row selected with `select(_:prefix:)` under the same prefix.
    func decode(_ row: any SQLRow, prefix: String) throws -> M {
        let model = M()
        let output = PrefixedRow(row: row, prefix: prefix)
        for property in properties(model) { try property.output(from: output) }
        return model
    }

    /// For a left join: nil when the row has no match (its id column is NULL).
    func decodeIfPresent(_ row: any SQLRow, prefix: String) throws -> M? {
        try row.decodeNil(column: prefix + "id") ? nil : decode(row, prefix: prefix)
    }
}

/// A row's columns under a prefix, as Fluent's properties read them (FluentSQL's own output, with
/// the prefix added).
private struct PrefixedRow: DatabaseOutput {
    let row: any SQLRow
    let prefix: String

    var description: String { "\(prefix)* of \(row)" }

    func schema(_ schema: String) -> any DatabaseOutput { self }

    func contains(_ key: FieldKey) -> Bool { row.contains(column: prefix + key.description) }

    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: prefix + key.description) }

    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        try row.decode(column: prefix + key.description, as: T.self)
    }
}

extension Database {
    /// The same database for SQL text (both drivers the app runs on are SQL ones).
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw Abort(.internalServerError, reason: "an SQL database is needed") }
        return sql
    }
}
