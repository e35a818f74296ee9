import Foundation
import Testing
@testable import ZeroErrand
import ZeroErrandCore

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

    @Test("The day and minute agree with the Gregorian calendar's from 1901 to 2100, in zones with odd offsets")
    func agreesWithCalendar() {
        let zones = ["Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "America/Los_Angeles", "UTC", "Australia/Lord_Howe"]
        // Midnights and a leap day, where an off-by-one would show first, then instants 2,056,327 s
        // (about 23.8 days) apart, so that every time of day comes round.
        let edges: [Int] = [-2_177_452_800, -1, 0, 951_782_400, 951_868_799, 4_107_542_399]
        let instants = edges + Array(stride(from: -2_177_452_800, to: 4_102_444_800, by: 2_056_327))
        for name in zones {
            let zone = TimeZone(identifier: name)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for seconds in instants {
                let date = Date(timeIntervalSince1970: TimeInterval(seconds))
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
                let (day, minute) = CivilDay.at(date, offset: zone.secondsFromGMT(for: date))
                #expect(day == CivilDay(year: parts.year!, month: parts.month!, day: parts.day!)
                        && minute == parts.hour! * 60 + parts.minute!, "\(name) \(seconds)")
            }
        }
    }
}
