import Fluent
import Foundation
import ZeroErrandCore

/// Moves every stored file's data key under the current master key: case documents, mediation
/// papers, video recordings and their chunks, drawn signatures. Files are not touched: only the
/// small wrapped keys change, one row at a time, so a crash part-way loses nothing (rows not yet
/// moved still open with the older key, which stays configured until this has finished).
enum DocumentKeyRotation {
    static let tables: [any KeyWrappedRow.Type] = [
        CaseDocument.self, MediationDocument.self, PetitionDocument.self, VideoRecording.self, VideoRecordingChunk.self, SignatureDrawing.self,
    ]

    static func rewrapAll(on database: any Database, keys: DocumentKeys, pageSize: Int = 500) async throws -> Int {
        var moved = 0
        for table in tables {
            moved += try await rewrap(table, on: database, keys: keys, pageSize: pageSize)
        }
        return moved
    }

    private static func rewrap<Row: KeyWrappedRow>(_ table: Row.Type, on database: any Database, keys: DocumentKeys, pageSize: Int) async throws -> Int {
        var moved = 0
        var after: UUID?
        while true {
            let query = Row.query(on: database).sort(\._$id).limit(pageSize)
            if let after { query.filter(\._$id > after) }
            let page = try await query.all()
            guard let last = page.last else { break }
            for row in page {
                guard let key = row.dataKey, key.masterKeyID != keys.current.id else { continue }
                row.dataKey = try Envelope.rewrap(key, from: keys.all, to: keys.current)
                try await row.update(on: database)
                moved += 1
            }
            after = last.id
        }
        return moved
    }
}
