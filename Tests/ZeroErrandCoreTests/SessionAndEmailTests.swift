import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Session time-outs and email addresses")
struct SessionAndEmailTests {
    let start = Date(timeIntervalSince1970: 1_796_000_000)

    @Test("Citizens time out after 30 idle minutes, staff after 15, everyone after 12 hours")
    func timeouts() {
        func expired(_ kind: AccountKind, idle: TimeInterval, age: TimeInterval, pending: Bool = false) -> Bool {
            SessionPolicy.isExpired(createdAt: start, lastSeenAt: start.addingTimeInterval(age - idle), kind: kind,
                                    pending: pending, now: start.addingTimeInterval(age))
        }
        #expect(!expired(.citizen, idle: 29 * 60, age: 3600))
        #expect(expired(.citizen, idle: 30 * 60, age: 3600))
        #expect(!expired(.staff, idle: 14 * 60, age: 3600))
        #expect(expired(.staff, idle: 15 * 60, age: 3600))
        #expect(expired(.admin, idle: 15 * 60, age: 3600))
        #expect(!expired(.citizen, idle: 60, age: 12 * 3600 - 1))
        #expect(expired(.citizen, idle: 0, age: 12 * 3600))
        #expect(expired(.citizen, idle: 10 * 60, age: 3600, pending: true))
    }

    @Test("Addresses are trimmed and lower-cased; malformed ones are refused")
    func emails() {
        #expect(EmailAddress.normalize("  Yang.Hui@Example.ES ") == "yang.hui@example.es")
        #expect(EmailAddress.normalize("王@例子.中国") == "王@例子.中国")
        for bad in ["", "no-at-sign", "a@b", "a@@b.c", "a b@c.de", "a@.de", "<a@b.de>", "a@b.de\r\nBcc: x@y.z"] {
            #expect(EmailAddress.normalize(bad) == nil, "\(bad)")
        }
    }
}
