import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Petition time limits")
struct PetitionLimitsTests {
    @Test("The statutory limits are read from the data file beside the holiday calendar and counted on it")
    func limitsFromFile() async throws {
        try await withTestApp { (app, _) async throws in
            let limits = app.dependencies.petitionLimits
            #expect(limits == PetitionTimeLimits(decide: 15, handle: 60, extensionMax: 30, requestReview: 30, answerReview: 30,
                                                 requestReReview: 30, answerReReview: 30))
            // Received on the eve of National Day 2026: the holiday week does not count.
            let facts = PetitionFacts(stage: .received, anonymous: false, holder: UUID(), heldSince: CivilDay("2026-09-30")!)
            let clock = try #require(PetitionClock.current(facts, limits: limits, calendar: app.dependencies.workingCalendar))
            // Oct 8-9 (2), Sat Oct 10 (3), Oct 12-16 (8), Oct 19-23 (13), Oct 26-27 (15).
            #expect(clock.dueDay == CivilDay("2026-10-27")!)
        }
    }

    @Test("A limit of zero days in the file stops start-up with the file and the setting named")
    func badFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("petition-limits-\(UUID()).yaml").path
        try """
            decide_days: 0
            handle_days: 60
            extension_max_days: 30
            request_review_days: 30
            answer_review_days: 30
            request_re_review_days: 30
            answer_re_review_days: 30
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try HolidayFile.loadPetitionLimits(path) } throws: { error in
            "\(error)".contains("decide_days") && "\(error)".contains(path)
        }
    }
}
