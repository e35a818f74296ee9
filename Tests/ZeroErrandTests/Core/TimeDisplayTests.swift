import Foundation
import Testing
@testable import ZeroErrand

@Suite("Times shown with their zone")
struct TimeDisplayTests {
    @Test("The same instant in Madrid, Shanghai and New York, each zone named, across a clock change")
    func zones() {
        let instant = Date(timeIntervalSince1970: 1_774_789_200) // 2026-03-29 13:00 UTC, the day Europe moves to summer time
        #expect(TimeDisplay.format(instant, in: TimeZone(identifier: "Europe/Madrid")!) == "2026-03-29 15:00 (Europe/Madrid, UTC+02:00)")
        #expect(TimeDisplay.format(instant, in: TimeZone(identifier: "Asia/Shanghai")!) == "2026-03-29 21:00 (Asia/Shanghai, UTC+08:00)")
        #expect(TimeDisplay.format(instant, in: TimeZone(identifier: "America/New_York")!) == "2026-03-29 09:00 (America/New_York, UTC-04:00)")
        let winter = instant.addingTimeInterval(-86400)
        #expect(TimeDisplay.format(winter, in: TimeZone(identifier: "Europe/Madrid")!) == "2026-03-28 14:00 (Europe/Madrid, UTC+01:00)")
    }
}
