import Testing
@testable import ZeroErrandCore

@Suite("Court case numbers")
struct CourtCaseNumberTests {
    static let wencheng = CourtCode(chinese: "浙0328", english: "Zhe 0328")!

    @Test("Written and read back in both renderings, as people type them")
    func roundTrip() throws {
        let number = try #require(CourtCaseNumber(year: 2027, court: Self.wencheng, kind: .specialProcedure, serial: 12))
        #expect(number.chinese == "(2027)浙0328民特12号")
        #expect(number.english == "(2027) Zhe 0328 Min Te No. 12")
        for text in [number.chinese, number.english, "（２０２７）浙0328民特１２号", "〔2027〕浙 0328 民特 12 号", "(2027) zhe 0328 min te no. 12"] {
            #expect(CourtCaseNumber.parse(text, court: Self.wencheng, kind: .specialProcedure) == number, "\(text)")
        }
    }

    @Test("Other courts, other kinds, leading zeros and trailing text are not numbers")
    func rejects() {
        for text in ["(2027)浙03民特12号", "(2027)浙0328民特012号", "(2027)浙0328民特0号", "(2027)浙0328民特12号x", "(27)浙0328民特12号",
                     "(2027)浙0328民特12", "(2027) Zhe 0328 Min Te No. 12 x", "(2027)浙温证字第12号", ""] {
            #expect(CourtCaseNumber.parse(text, court: Self.wencheng, kind: .specialProcedure) == nil, "\(text)")
        }
        #expect(CourtCaseNumber(year: 2027, court: Self.wencheng, kind: .specialProcedure, serial: 0) == nil)
    }

    @Test("Court codes: a few Han characters, then digits; English words of letters or digits")
    func codes() {
        #expect(CourtCode(chinese: "浙03", english: "Zhe 03")?.english == "Zhe 03")
        #expect(CourtCode(chinese: "浙", english: " Zhe  ")?.english == "Zhe")
        #expect(CourtCode(chinese: "03浙", english: "Zhe") == nil)
        #expect(CourtCode(chinese: "浙0328x", english: "Zhe 0328") == nil)
        #expect(CourtCode(chinese: "浙0328", english: "Zhe-0328") == nil)
        #expect(CourtCode(chinese: "", english: "Zhe") == nil)
    }
}
