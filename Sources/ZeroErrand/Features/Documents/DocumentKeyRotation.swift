import Fluent
import Foundation
import ZeroErrandCore

/// Moves every document's data key under the current master key. Files are not touched: only the
/// small wrapped keys change, one row at a time, so a crash part-way loses nothing (rows not yet
/// moved still open with the older key, which stays configured until this has finished).
enum DocumentKeyRotation {
    static func rewrapAll(on database: any Database, keys: DocumentKeys, pageSize: Int = 500) async throws -> Int {
        var moved = 0
        var after: UUID?
        while true {
            let query = CaseDocument.query(on: database).sort(\.$id).limit(pageSize)
            if let after { query.filter(\.$id > after) }
            let page = try await query.all()
            guard let last = page.last else { break }
            for document in page where document.wrappedKey.masterKeyID != keys.current.id {
                document.wrappedKey = try Envelope.rewrap(document.wrappedKey, from: keys.all, to: keys.current)
                try await document.update(on: database)
                moved += 1
            }
            after = last.id
        }
        return moved
    }
}
