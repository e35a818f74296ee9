import Foundation
import Testing
@testable import ZeroErrandCore

private func day(_ text: String) -> CivilDay {
    guard let day = CivilDay(text) else { fatalError("bad test date \(text)") }
    return day
}

private func days(_ from: String, _ through: String) -> [CivilDay] {
    let start = day(from)
    return (0...start.days(until: day(through))).map { start.adding(days: $0) }
}

/// The 2026 arrangement around the Mid-Autumn Festival and National Day, as published.
private let calendar = try! WorkingDayCalendar(years: [HolidayYear(
    year: 2026, status: .official, source: "test",
    holidays: days("2026-09-25", "2026-09-27") + days("2026-10-01", "2026-10-07"),
    workingWeekends: [day("2026-09-20"), day("2026-10-10")])])

private let limits = PetitionTimeLimits(decide: 15, handle: 60, extensionMax: 30, requestReview: 30, answerReview: 30,
                                        requestReReview: 30, answerReReview: 30)
private let bureau = UUID(), police = UUID(), psb = UUID(), city = UUID()

private func apply(_ action: PetitionAction, _ facts: PetitionFacts, by actor: PetitionActor, on today: String) -> Result<PetitionFacts, PetitionRefusal> {
    PetitionRules.apply(action, to: facts, by: actor, today: day(today), limits: limits, calendar: calendar)
}

private func must(_ result: Result<PetitionFacts, PetitionRefusal>) throws -> PetitionFacts { try result.get() }

@Suite("Petition clocks and steps")
struct PetitionRulesTests {
    @Test("The decide clock skips the Mid-Autumn and National Day holidays and counts the working Saturday")
    func decideAcrossHolidays() throws {
        let facts = PetitionFacts(stage: .received, anonymous: false, holder: bureau, heldSince: day("2026-09-24"))
        let clock = try #require(PetitionClock.current(facts, limits: limits, calendar: calendar))
        // Sep 28-30 (3), Oct 8-9 (5), Sat Oct 10 (6), Oct 12-16 (11), Oct 19-22 (15).
        #expect(clock.dueDay == day("2026-10-22"))
        #expect(clock.party == .office && clock.purpose == .decide)
        #expect(!clock.isOverdue(today: day("2026-10-22")))
        #expect(clock.isOverdue(today: day("2026-10-23")))
    }

    @Test("A transfer starts the decide clock again at the receiving office, and needs its reasons")
    func transfer() throws {
        let facts = PetitionFacts(stage: .received, anonymous: false, holder: bureau, heldSince: day("2026-09-24"))
        #expect(apply(.transfer(to: police, reason: "  "), facts, by: .office(bureau), on: "2026-09-28") == .failure(.missingReason))
        #expect(apply(.transfer(to: bureau, reason: "x"), facts, by: .office(bureau), on: "2026-09-28") == .failure(.sameOffice))
        #expect(apply(.transfer(to: psb, reason: "x"), facts, by: .office(police), on: "2026-09-28") == .failure(.notHolder))
        let moved = try must(apply(.transfer(to: police, reason: "a police matter"), facts, by: .office(bureau), on: "2026-09-28"))
        #expect(moved.holder == police && moved.stage == .received)
        let clock = try #require(PetitionClock.current(moved, limits: limits, calendar: calendar))
        #expect(clock.startedOn == day("2026-09-28"))
        #expect(clock.dueDay == calendar.addingWorkingDays(15, to: day("2026-09-28")))
        // The office it left can no longer act on it.
        #expect(apply(.accept, moved, by: .office(bureau), on: "2026-09-29") == .failure(.notHolder))
    }

    @Test("Handling is 60 working days from acceptance; one extension of at most 30, asked for in time")
    func handlingExtension() throws {
        let received = PetitionFacts(stage: .received, anonymous: false, holder: police, heldSince: day("2026-09-24"))
        let handling = try must(apply(.accept, received, by: .office(police), on: "2026-09-28"))
        let plain = try #require(PetitionClock.current(handling, limits: limits, calendar: calendar))
        #expect(plain.dueDay == calendar.addingWorkingDays(60, to: day("2026-09-28")))
        #expect(apply(.extend(days: 31, reason: "site visit"), handling, by: .office(police), on: "2026-10-08") == .failure(.extensionTooLong))
        #expect(apply(.extend(days: 10, reason: ""), handling, by: .office(police), on: "2026-10-08") == .failure(.missingReason))
        let extended = try must(apply(.extend(days: 30, reason: "site visit"), handling, by: .office(police), on: "2026-10-08"))
        let longer = try #require(PetitionClock.current(extended, limits: limits, calendar: calendar))
        #expect(longer.dueDay == calendar.addingWorkingDays(30, to: plain.dueDay))
        #expect(longer.limit == 90)
        #expect(apply(.extend(days: 5, reason: "again"), extended, by: .office(police), on: "2026-10-09") == .failure(.extensionUsed))
        // Once the limit has passed, it is too late to extend it.
        let late = plain.dueDay.adding(days: 1).description
        #expect(apply(.extend(days: 5, reason: "late"), handling, by: .office(police), on: late) == .failure(.extensionTooLate))
    }

    @Test("Review and re-review: windows of 30 working days, each answered by the office above, then closed")
    func reviewLevels() throws {
        var facts = PetitionFacts(stage: .handling, anonymous: false, holder: police, heldSince: day("2026-09-01"), acceptedOn: day("2026-09-01"))
        facts = try must(apply(.answer, facts, by: .office(police), on: "2026-09-24"))
        #expect(facts.stage == .answered && facts.answeredOn == day("2026-09-24"))
        let window = try #require(PetitionClock.current(facts, limits: limits, calendar: calendar))
        #expect(window.party == .petitioner && window.purpose == .requestReview)
        // The office cannot ask for a review in the petitioner's place.
        #expect(apply(.requestReview(by: psb), facts, by: .office(police), on: "2026-09-28") == .failure(.notPetitioner))
        let late = window.dueDay.adding(days: 1).description
        #expect(apply(.requestReview(by: psb), facts, by: .petitioner, on: late) == .failure(.reviewWindowClosed))
        facts = try must(apply(.rate(.dissatisfied), facts, by: .petitioner, on: "2026-09-28"))
        #expect(apply(.rate(.satisfied), facts, by: .petitioner, on: "2026-09-28") == .failure(.alreadyRated))
        facts = try must(apply(.requestReview(by: psb), facts, by: .petitioner, on: window.dueDay.description))
        #expect(facts.stage == .reviewing && facts.holder == psb)
        let review = try #require(PetitionClock.current(facts, limits: limits, calendar: calendar))
        #expect(review.party == .office && review.dueDay == calendar.addingWorkingDays(30, to: window.dueDay))
        #expect(apply(.answer, facts, by: .office(police), on: "2026-11-20") == .failure(.notHolder))
        facts = try must(apply(.answer, facts, by: .office(psb), on: "2026-11-20"))
        #expect(facts.stage == .reviewed)
        // A new level is rated afresh.
        facts = try must(apply(.rate(.dissatisfied), facts, by: .petitioner, on: "2026-11-23"))
        facts = try must(apply(.requestReview(by: city), facts, by: .petitioner, on: "2026-11-23"))
        #expect(facts.stage == .reReviewing && facts.holder == city)
        facts = try must(apply(.answer, facts, by: .office(city), on: "2026-12-01"))
        #expect(facts.stage == .closed && PetitionClock.current(facts, limits: limits, calendar: calendar) == nil)
        #expect(apply(.requestReview(by: bureau), facts, by: .petitioner, on: "2026-12-02") == .failure(.wrongStage))
    }

    @Test("An anonymous report is answered, but has no review: nobody known could ask for it")
    func anonymous() throws {
        let facts = PetitionFacts(stage: .answered, anonymous: true, holder: police, heldSince: day("2026-09-01"), answeredOn: day("2026-09-24"))
        #expect(PetitionClock.current(facts, limits: limits, calendar: calendar) == nil)
        #expect(apply(.requestReview(by: psb), facts, by: .petitioner, on: "2026-09-28") == .failure(.anonymousNoReview))
        #expect(PetitionKind.complaint.mayBeAnonymous && !PetitionKind.request.mayBeAnonymous)
    }

    @Test("Only the steps of each stage: no acceptance after a decline, no answer before acceptance")
    func stages() {
        let declined = PetitionFacts(stage: .declined, anonymous: false, holder: bureau, heldSince: day("2026-09-01"))
        #expect(apply(.accept, declined, by: .office(bureau), on: "2026-09-02") == .failure(.wrongStage))
        let received = PetitionFacts(stage: .received, anonymous: false, holder: bureau, heldSince: day("2026-09-01"))
        #expect(apply(.answer, received, by: .office(bureau), on: "2026-09-02") == .failure(.wrongStage))
        #expect(apply(.decline(reason: String(repeating: "x", count: 2001)), received, by: .office(bureau), on: "2026-09-02") == .failure(.reasonTooLong))
    }
}

@Suite("Receipt codes and repeated facts")
struct PetitionCodeTests {
    @Test("A receipt code reads back despite case, dashes, spaces and look-alike letters; only its digest is kept")
    func receiptCode() throws {
        let code = ReceiptCode.make(from: [0x00, 0x44, 0x32, 0x14, 0xC7, 0x42, 0x54, 0xB6, 0x35, 0xCF])
        #expect(code == "0123-4567-89AB-CDEF")
        let digest = try #require(ReceiptCode.digest(code))
        // The SHA-256 of the canonical form, as `sha256sum` gives it for "0123456789ABCDEF".
        #expect(digest == "2125b2c332b1113aae9bfc5e9f7e3b4c91d828cb942c2df1eeb02502eccae9e9")
        #expect(ReceiptCode.digest("o123 4567 89ab cdef") == digest)
        #expect(ReceiptCode.digest("0l2345678 9ABCDEF") == digest)
        #expect(ReceiptCode.digest("0123-4567-89AB-CDE") == nil)
        #expect(ReceiptCode.digest("0123-4567-89AB-CDEU") == nil)
        #expect(!digest.contains("0123"))
    }

    @Test("The same facts retold are recognised; different facts are not")
    func sameFacts() {
        let first = "我父亲在文成县玉壶镇的老房子被拆迁，补偿款至今未到账，村委会说要等镇政府批复。"
        #expect(SameFacts.isSame(first, "我父亲在文成县玉壶镇的老房子被拆迁，补偿款至今未到账，村委会说要等镇政府批复！"))
        #expect(!SameFacts.isSame(first, "我在意大利的护照丢失，需要补办，请问需要什么材料。"))
        let english = "The compensation for my father's house in Yuhu was never paid although the village committee promised it."
        #expect(SameFacts.isSame(english, "the compensation for my father's house in Yuhu was never paid, although the village committee promised it"))
        #expect(!SameFacts.isSame(english, "I would like to suggest longer opening hours for the service point in Milan."))
    }
}

@Suite("Who sees a petition")
struct PetitionAccessTests {
    private let petitioner = UUID(), registrar = UUID(), holder = UUID(), answerer = UUID(), passedThrough = UUID()

    private func viewer(_ actor: Actor?) -> RecordAccess.PetitionViewer? {
        RecordAccess.petitionViewer(actor, .init(petitioner: petitioner, holder: holder, registrar: registrar, answeredBy: [answerer]))
    }

    private func staff(of office: UUID) -> Actor { Actor(accountID: UUID(), kind: .staff, roles: [.clerk], departmentID: office) }

    @Test("The petitioner, the holding office, the registrar and an office whose opinion is under review; nobody else")
    func viewers() {
        #expect(viewer(Actor(accountID: petitioner, kind: .citizen)) == .petitioner)
        #expect(viewer(staff(of: holder)) == .holder)
        #expect(viewer(staff(of: registrar)) == .registrar)
        #expect(viewer(staff(of: answerer)) == .earlierAnswerer)
        // An office it was only transferred through has no case for it any more.
        #expect(viewer(staff(of: passedThrough)) == nil)
        #expect(viewer(Actor(accountID: UUID(), kind: .citizen)) == nil)
        #expect(viewer(Actor(accountID: petitioner, kind: .admin)) == nil)
        #expect(viewer(Actor(accountID: UUID(), kind: .assistant, servicePointID: UUID())) == nil)
        #expect(viewer(nil) == nil)
        // Staff without an office, and an anonymous report's (absent) petitioner, match nobody.
        #expect(viewer(Actor(accountID: UUID(), kind: .staff)) == nil)
        #expect(RecordAccess.petitionViewer(Actor(accountID: UUID(), kind: .citizen),
                                            .init(petitioner: nil, holder: holder, registrar: registrar, answeredBy: [])) == nil)
    }
}
