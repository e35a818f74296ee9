import Crypto
import Fluent
import ZeroErrandCore

/// Reads the log in sequence order, a page at a time, and names the first broken link.
enum AuditVerifier {
    struct Report: Sendable {
        let eventCount: Int64
        let firstBreak: AuditChain.Break?
    }

    /// Verifies up to the head as it was when verification started, so events appended meanwhile
    /// are neither checked nor mistaken for a broken end.
    static func verify(on database: any Database, key: SymmetricKey, pageSize: Int = 1000) async throws -> Report {
        let head = try await AuditHead.find(1, on: database)
        let end = head?.sequence ?? 0
        var walker = AuditChain.Walker(key: key)
        while walker.last.sequence < end {
            let page = try await AuditEvent.query(on: database).filter(\.$id > walker.last.sequence).filter(\.$id <= end)
                .sort(\.$id).limit(pageSize).all()
            if page.isEmpty { break }
            for event in page {
                if let broken = walker.check(event.chained) {
                    return Report(eventCount: walker.count, firstBreak: broken)
                }
            }
        }
        let broken = walker.checkEnd(against: (end, head?.hash ?? AuditChain.genesisHash))
        return Report(eventCount: walker.count, firstBreak: broken)
    }
}
