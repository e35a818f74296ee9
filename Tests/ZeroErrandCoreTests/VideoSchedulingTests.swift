import Foundation
import Testing
@testable import ZeroErrandCore

private func day(_ text: String) -> CivilDay { CivilDay(text)! }
private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
private let berlin = TimeZone(identifier: "Europe/Berlin")!

@Suite struct AvailabilityRuleTests {
    @Test func weekdaySlotsKeepTheirLocalTimeAcrossTheAutumnClockChange() {
        // Friday 23 and Monday 26 October 2026; clocks in Berlin go back on Sunday 25th.
        let rule = AvailabilityRule(weekdays: [1, 5], startMinute: 9 * 60, endMinute: 10 * 60, slotMinutes: 30,
                                    firstDay: day("2026-10-23"), lastDay: day("2026-10-26"))
        #expect(rule.slotStarts(in: berlin) == [utc("2026-10-23T07:00:00Z"), utc("2026-10-23T07:30:00Z"),
                                                 utc("2026-10-26T08:00:00Z"), utc("2026-10-26T08:30:00Z")])
    }

    @Test func aTimeThatDoesNotExistWhenClocksGoForwardIsSkipped() {
        let rule = AvailabilityRule(weekdays: [7], startMinute: 90, endMinute: 210, slotMinutes: 30,
                                    firstDay: day("2026-03-29"), lastDay: day("2026-03-29"))
        // 01:30 CET and 03:00 CEST exist; 02:00 and 02:30 do not.
        #expect(rule.slotStarts(in: berlin) == [utc("2026-03-29T00:30:00Z"), utc("2026-03-29T01:00:00Z")])
    }

    @Test func aTimeThatHappensTwiceWhenClocksGoBackIsOfferedOnce() {
        let rule = AvailabilityRule(weekdays: [7], startMinute: 120, endMinute: 180, slotMinutes: 30,
                                    firstDay: day("2026-10-25"), lastDay: day("2026-10-25"))
        // 02:00 and 02:30 summer time (UTC+2); the repeated hour in winter time is not offered again.
        #expect(rule.slotStarts(in: berlin) == [utc("2026-10-25T00:00:00Z"), utc("2026-10-25T00:30:00Z")])
    }

    @Test func closedDaysHaveNoSlots() {
        let rule = AvailabilityRule(weekdays: Set(1...7), startMinute: 540, endMinute: 570, slotMinutes: 30,
                                    firstDay: day("2026-09-30"), lastDay: day("2026-10-08"))
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let nationalDay = Set((1...7).map { day(String(format: "2026-10-%02d", $0)) })
        let starts = rule.slotStarts(in: shanghai, closed: nationalDay.contains)
        #expect(starts.map { CivilDay($0, in: shanghai).description } == ["2026-09-30", "2026-10-08"])
    }

    @Test func problemsAreNamed() {
        var rule = AvailabilityRule(weekdays: [1], startMinute: 540, endMinute: 600, slotMinutes: 30,
                                    firstDay: day("2026-12-01"), lastDay: day("2026-12-31"))
        #expect(rule.problem == nil)
        rule.weekdays = []
        #expect(rule.problem == .noWeekdays)
        rule.weekdays = [8]
        #expect(rule.problem == .noWeekdays)
        rule.weekdays = [1]
        rule.slotMinutes = 25
        #expect(rule.problem == .slotLength)
        rule.slotMinutes = 60
        rule.endMinute = 590
        #expect(rule.problem == .hoursOrder)
        rule.endMinute = 600
        rule.lastDay = day("2026-11-30")
        #expect(rule.problem == .daysOrder)
        rule.lastDay = day("2027-06-01")
        #expect(rule.problem == .spanTooLong)
        #expect(rule.slotStarts(in: berlin).isEmpty)
    }
}

@Suite struct BookingRulesTests {
    @Test func noticeIsCountedFromNow() {
        let rules = BookingRules(bookingNoticeHours: 2, changeNoticeHours: 24)
        let now = utc("2026-12-01T08:00:00Z")
        #expect(rules.mayBook(slotStart: utc("2026-12-01T10:00:00Z"), now: now) == nil)
        #expect(rules.mayBook(slotStart: utc("2026-12-01T09:59:00Z"), now: now) == .tooLate)
        #expect(rules.mayBook(slotStart: utc("2026-11-30T10:00:00Z"), now: now) == .tooLate)
        #expect(rules.mayChange(appointmentStart: utc("2026-12-02T08:00:00Z"), now: now) == nil)
        #expect(rules.mayChange(appointmentStart: utc("2026-12-02T07:59:00Z"), now: now) == .tooLateToChange)
    }
}

@Suite struct TURNCredentialsTests {
    @Test func matchesTheSchemeCoturnChecks() {
        // Expected value computed independently: base64(HMAC-SHA1("north-wind", "1798761600:session-abc")).
        let credentials = TURNCredentials(secret: "north-wind", label: "session-abc",
                                          now: utc("2026-12-31T23:00:00Z"), lifetime: 3600)
        #expect(credentials.username == "1798761600:session-abc")
        #expect(credentials.credential == "uVFSKcNavmq0iHX1fUtsJa4eLaI=")
        #expect(credentials.expires == utc("2027-01-01T00:00:00Z"))
    }
}

@Suite struct ICalendarEventTests {
    private func event(_ method: ICalendarEvent.Method = .request, summary: String = "视频核验 ZE-2026-000001") -> ICalendarEvent {
        ICalendarEvent(uid: "a1b2@zeroerrand", sequence: 2, method: method, start: utc("2026-10-26T01:00:00Z"),
                       end: utc("2026-10-26T01:30:00Z"), stamp: utc("2026-10-20T12:00:00Z"), summary: summary,
                       description: "Line one\nLine two; with, punctuation \\ done",
                       url: "https://zeroerrand.example/video/abc", organizerName: "温州市公安局",
                       organizerEmail: "no-reply@zeroerrand.example", attendeeName: "Li \"Lei\"", attendeeEmail: "li@example.com")
    }

    @Test func writesUTCTimesEscapedTextAndCRLF() {
        let text = event().render()
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        #expect(text.contains("\r\nDTSTART:20261026T010000Z\r\n"))
        #expect(text.contains("\r\nDTEND:20261026T013000Z\r\n"))
        #expect(text.contains("\r\nMETHOD:REQUEST\r\n"))
        #expect(text.contains("\r\nSEQUENCE:2\r\n"))
        #expect(text.contains("DESCRIPTION:Line one\\nLine two\\; with\\, punctuation \\\\ done"))
        #expect(text.contains("ATTENDEE;CN=\"Li Lei\";ROLE=REQ-PARTICIPANT:mailto:li@example.com"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let cancelled = event(.cancel).render()
        #expect(cancelled.contains("\r\nMETHOD:CANCEL\r\n") && cancelled.contains("\r\nSTATUS:CANCELLED\r\n"))
        #expect(!cancelled.contains("VALARM"))
    }

    @Test func foldsLongLinesWithoutSplittingCharacters() {
        let text = event(summary: String(repeating: "视频核验身份", count: 20)).render()
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        // Unfolding (RFC 5545 §3.1) gives the original line back.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + String(repeating: "视频核验身份", count: 20) + "\r\n"))
    }
}

@Suite struct SignalMessageTests {
    @Test func acceptsDirectedAndBroadcastMessages() {
        let offer = SignalMessage.parse(#"{"type":"offer","to":"0f3c5a9e-1111-4222-8333-944455556666","data":{"type":"offer","sdp":"v=0"}}"#)
        #expect(offer?.kind == .offer)
        #expect(offer?.to == "0f3c5a9e-1111-4222-8333-944455556666")
        #expect(offer?.data == #"{"sdp":"v=0","type":"offer"}"#)
        let media = SignalMessage.parse(#"{"type":"media","to":"ignored-but-valid","data":{"audioOnly":true}}"#)
        #expect(media?.kind == .media && media?.to == nil)
    }

    @Test func dropsWhatIsMalformedOrTooLarge() {
        let bad = [
            "", "not json", "[1,2]", #"{"type":"offer","data":{}}"#, #"{"type":"offer","to":"x","data":{}}"#,
            #"{"type":"offer","to":"../../etc/passwd","data":{}}"#, #"{"type":"kick","data":{}}"#,
            #"{"type":"media","data":"text"}"#, #"{"type":"media"}"#,
            #"{"type":"media","data":{"pad":""# + String(repeating: "a", count: SignalMessage.maxBytes) + #""}}"#,
        ]
        for text in bad { #expect(SignalMessage.parse(text) == nil, "\(text.prefix(60))") }
    }

    @Test func rateLimiterAllowsABurstThenTheSustainedRate() {
        let start = utc("2026-12-01T08:00:00Z")
        var limiter = RateLimiter(perSecond: 10, burst: 20, now: start)
        let burst = (0..<25).filter { _ in limiter.allow(now: start) }.count
        #expect(burst == 20)
        let tooSoon = limiter.allow(now: start.addingTimeInterval(0.05))
        let afterRefill = limiter.allow(now: start.addingTimeInterval(0.2))
        #expect(!tooSoon && afterRefill)
        let afterAMinute = (0..<100).filter { _ in limiter.allow(now: start.addingTimeInterval(60)) }.count
        #expect(afterAMinute == 20)
    }
}
