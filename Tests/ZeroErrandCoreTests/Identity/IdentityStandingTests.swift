import Foundation
import Testing
@testable import ZeroErrandCore

@Suite struct IdentityStandingTests {
    @Test func aPointCheckCountsAsLevelThreeOnlyWhereTheMatterAcceptsIt() {
        let checked = IdentityStanding(emailConfirmed: true, twoFactor: true, videoChecked: false, pointChecked: true)
        #expect(checked.level(acceptingPointCheck: true) == .videoVerified)
        #expect(checked.level(acceptingPointCheck: false) == .twoFactor)
        let video = IdentityStanding(emailConfirmed: true, twoFactor: true, videoChecked: true, pointChecked: false)
        #expect(video.level(acceptingPointCheck: false) == .videoVerified)
        var unconfirmed = checked
        unconfirmed.emailConfirmed = false
        #expect(unconfirmed.level(acceptingPointCheck: true) == nil)
    }

    @Test func theDeskAcceptsTheCitizensOwnChinesePassportValidToday() throws {
        let today = CivilDay(year: 2026, month: 12, day: 7)!
        let good = try PassportMRZ(PassportMRZ.specimenText())
        #expect(good.surname == "WANG" && good.documentNumber == "E12345678")
        #expect(PointPassportRules.refusal(good, today: today) == nil)
        #expect(PointPassportRules.refusal(try PassportMRZ(PassportMRZ.specimenText(expiry: "261207")), today: today) == nil)
        #expect(PointPassportRules.refusal(try PassportMRZ(PassportMRZ.specimenText(expiry: "261206")), today: today) == .expired)
        #expect(PointPassportRules.refusal(try PassportMRZ(PassportMRZ.specimenText(nationality: "ESP")), today: today) == .notChinese)
        // A Chinese passport runs ten years at most: valid till 2099 is a typing error or a forgery.
        #expect(PointPassportRules.refusal(try PassportMRZ(PassportMRZ.specimenText(expiry: "361201")), today: today) == nil)
        #expect(PointPassportRules.refusal(try PassportMRZ(PassportMRZ.specimenText(expiry: "991231")), today: today) == .expiryTooFar)
        // One mistyped character is caught by its check digit.
        let typo = PassportMRZ.specimenText().replacingOccurrences(of: "E12345678", with: "E12345679")
        #expect(throws: IdentityDocumentError.self) { try PassportMRZ(typo) }
    }
}
