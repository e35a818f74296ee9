import Fluent
import ZeroErrandCore

/// Reads the whole log in sequence order, a page at a time, and names the first broken link.
enum AuditVerifier {
    struct Report: Sendable {
        let eventCount: Int64
        let firstBreak: AuditChain.Break?
    }

    static func verify(on database: any Database, pageSize: Int = 1000) async throws -> Report {
        var walker = AuditChain.Walker()
        while true {
            let page = try await AuditEvent.query(on: database).filter(\.$id > walker.last.sequence).sort(\.$id)
                .limit(pageSize).all()
            if page.isEmpty { break }
            for event in page {
                if let broken = walker.check(event.chained) {
                    return Report(eventCount: walker.count, firstBreak: broken)
                }
            }
        }
        let head = try await AuditHead.find(1, on: database)
        let broken = walker.checkEnd(against: (head?.sequence ?? 0, head?.hash ?? AuditChain.genesisHash))
        return Report(eventCount: walker.count, firstBreak: broken)
    }
}
