import Foundation
import ZeroErrandCore
import Testing

/// GB 11643 restated independently of the implementation (weights derived
/// from 2^(17-i) mod 11 rather than copied), so the tests cannot merely echo it.
private enum Reference {
    static let provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
                            41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
                            71, 81, 82, 83, 91]
    static let today = (year: 2025, month: 6, day: 30)

    static func check(_ first17: String) -> Character {
        let sum = first17.enumerated().reduce(0) { $0 + $1.element.wholeNumberValue! * ((1 << (17 - $1.offset)) % 11) }
        return Array("10X98765432")[sum % 11]
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// The error a number must produce when exactly one of positions 1-18 was
    /// changed: region and date first, otherwise the check character, which
    /// MOD 11-2 guarantees to differ (every weight is non-zero mod 11 and 11 is prime).
    static func expectedError(_ chars: [Character]) -> IdentityDocumentError {
        let text = String(chars)
        guard provinces.contains(Int(text.prefix(2))!) else { return .unknownRegion(String(text.prefix(6))) }
        let raw = String(chars[6..<14])
        let year = Int(raw.prefix(4))!, month = Int(raw.dropFirst(4).prefix(2))!, day = Int(raw.suffix(2))!
        guard year >= 1900, (1...12).contains(month), (1...daysIn(month, year)).contains(day) else {
            return .invalidBirthDate(raw)
        }
        guard (year, month, day) <= today else { return .birthDateInFuture(raw) }
        return .wrongCheckCharacter(expected: check(String(chars[0..<17])), found: chars[17])
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: width - text.count) + text
}

private func parse(_ text: String) -> Result<ResidentIDNumber, IdentityDocumentError> {
    Result { () throws(IdentityDocumentError) in try ResidentIDNumber(text, notAfter: today) }
}

private let today = IdentityBirthDate(year: 2025, month: 6, day: 30)!

/// 18-digit number for a date, with the correct check character.
private func number(region: String = "110105", _ date: String, sequence: String = "002") -> String {
    let first17 = region + date + sequence
    return first17 + String(Reference.check(first17))
}

@Suite("ResidentIDNumber")
struct ResidentIDNumberTests {
    @Test func standardExampleIsValid() throws {
        let id = try ResidentIDNumber("11010519491231002X", notAfter: today)
        #expect(id.value == "11010519491231002X")
        #expect(id.regionCode == "110105")
        #expect(id.birthDate == IdentityBirthDate(year: 1949, month: 12, day: 31))
        #expect(id.isMale == false)
        #expect(id.masked == "110105********002X")
        #expect("\(id)" == "110105********002X")
        #expect(ResidentIDNumber.checkCharacter(forFirst17: "11010519491231002") == "X")
    }

    @Test func lowercaseXAndSurroundingWhitespaceAreNormalised() throws {
        let id = try ResidentIDNumber("  11010519491231002x\n", notAfter: today)
        #expect(id.value == "11010519491231002X")
        #expect(id == (try ResidentIDNumber("11010519491231002X", notAfter: today)))
    }

    @Test func wrongCheckCharacterNamesTheExpectedOne() {
        #expect(parse("110105194912310021") == .failure(.wrongCheckCharacter(expected: "X", found: "1")))
        let error = IdentityDocumentError.wrongCheckCharacter(expected: "X", found: "1")
        #expect(error.code == "identity.wrong_check_character")
        #expect(error.arguments == ["expected": "X", "found": "1"])
        #expect(error.description == "the check character should be X, not 1")
    }

    @Test func impossibleAndFutureBirthDatesAreRefused() throws {
        #expect(parse(number("19490230")) == .failure(.invalidBirthDate("19490230")))
        #expect(parse(number("19001231")).map(\.value) == .success(number("19001231")))
        #expect(parse(number("18991231")) == .failure(.invalidBirthDate("18991231")))
        #expect(parse(number("19000229")) == .failure(.invalidBirthDate("19000229")))
        #expect(parse(number("20000229")).map(\.birthDate) == .success(IdentityBirthDate(year: 2000, month: 2, day: 29)!))
        #expect(parse(number("21000229")) == .failure(.invalidBirthDate("21000229")))
        #expect(parse(number("21000101")) == .failure(.birthDateInFuture("21000101")))
        #expect(parse(number("19491300")) == .failure(.invalidBirthDate("19491300")))
        #expect(parse(number("20250630")).map(\.value) == .success(number("20250630")))
        #expect(parse(number("20250701")) == .failure(.birthDateInFuture("20250701")))
        // The Date overload uses the UTC day; the real clock is far from 2100.
        #expect(throws: IdentityDocumentError.birthDateInFuture("21000101")) { try ResidentIDNumber(number("21000101")) }
        let endOfLeapDay = Date(timeIntervalSince1970: 1_709_251_199) // 2024-02-29T23:59:59Z
        #expect(IdentityBirthDate(utc: endOfLeapDay) == IdentityBirthDate(year: 2024, month: 2, day: 29))
        _ = try ResidentIDNumber(number("20240229"), notAfter: endOfLeapDay)
        #expect(throws: IdentityDocumentError.birthDateInFuture("20240301")) {
            try ResidentIDNumber(number("20240301"), notAfter: endOfLeapDay)
        }
    }

    @Test func shapeErrorsNameTheProblem() {
        #expect(parse("") == .failure(.empty))
        #expect(parse(" \n\t") == .failure(.empty))
        #expect(parse("11010519491231002") == .failure(.wrongLength(expected: 18, found: 17)))
        #expect(parse("110105-19491231-002X") == .failure(.wrongLength(expected: 18, found: 20)))
        #expect(parse("11010519491231002Y") == .failure(.invalidCharacter(position: 18, found: "Y")))
        #expect(parse("1101051949123100X2") == .failure(.invalidCharacter(position: 17, found: "X")))
        #expect(parse("x10105194912310021") == .failure(.invalidCharacter(position: 1, found: "x")))
        #expect(parse("11010519491231００2X") == .failure(.invalidCharacter(position: 15, found: "０")))
        #expect(parse("990105194912310027") == .failure(.unknownRegion("990105")))
        #expect(parse(number(region: "010105", "19491231")) == .failure(.unknownRegion("010105")))
        #expect(parse(number(region: "910000", "19491231")).map(\.regionCode) == .success("910000"))
        #expect(ResidentIDNumber.checkCharacter(forFirst17: "1101051949123100") == nil)
        #expect(ResidentIDNumber.checkCharacter(forFirst17: "1101051949123100A") == nil)
    }

    @Test func sexFollowsTheParityOfThe17thDigit() throws {
        #expect(try ResidentIDNumber(number("19491231", sequence: "001"), notAfter: today).isMale)
        #expect(try !ResidentIDNumber(number("19491231", sequence: "008"), notAfter: today).isMale)
    }

    @Test func everyErrorHasADistinctCode() {
        let all: [IdentityDocumentError] = [
            .empty, .wrongLength(expected: 18, found: 3), .lineCount(expected: 2, found: 1),
            .lineLength(line: 2, expected: 44, found: 43), .invalidCharacter(position: 3, found: "A"),
            .invalidMRZCharacter(line: 2, position: 14, found: "a"), .unknownRegion("990101"),
            .invalidBirthDate("19490230"), .birthDateInFuture("21000101"), .invalidExpiryDate("121315"),
            .wrongCheckCharacter(expected: "7", found: "3"),
            .wrongCheckDigit(field: .birthDate, expected: "2", found: "3"),
            .wrongDocumentCode("V<"), .invalidSex("X"),
        ]
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(all.allSatisfy { $0.code.hasPrefix("identity.") && !$0.description.isEmpty })
        #expect(all[5].arguments == ["line": "2", "position": "14", "found": "a"])
        #expect(all[11].arguments == ["field": "birthDate", "expected": "2", "found": "3"])
        #expect(all[11].description == "the check digit for the birth date should be 2, not 3")
    }

    /// 500 random valid numbers plus the standard's example; each must parse,
    /// and every single-character substitution must be refused with the
    /// error the reference predicts.
    @Test func generatedNumbersAndAllSingleSubstitutions() {
        var rng = SplitMix64(seed: 0x1164_3199_9000_0001)
        var samples: [(String, IdentityBirthDate)] = [("11010519491231002X", IdentityBirthDate(year: 1949, month: 12, day: 31)!)]
        let leapYears = (1900...2024).filter { Reference.daysIn(2, $0) == 29 }
        for index in 0..<500 {
            let year: Int, month: Int, day: Int
            if index % 10 == 0 {
                (year, month, day) = (leapYears.randomElement(using: &rng)!, 2, 29)
            } else {
                let y = Int.random(in: 1900...2025, using: &rng)
                let m = y == 2025 ? Int.random(in: 1...6, using: &rng) : Int.random(in: 1...12, using: &rng)
                (year, month, day) = (y, m, Int.random(in: 1...Reference.daysIn(m, y), using: &rng))
            }
            let region = String(Reference.provinces.randomElement(using: &rng)!) + pad(Int.random(in: 0...9999, using: &rng), 4)
            let date = pad(year, 4) + pad(month, 2) + pad(day, 2)
            let id = number(region: region, date, sequence: pad(Int.random(in: 0...999, using: &rng), 3))
            samples.append((id, IdentityBirthDate(year: year, month: month, day: day)!))
        }
        #expect(samples.contains { $0.0.hasSuffix("X") })

        let digits = Array("0123456789")
        var substitutions = 0
        for (text, birth) in samples {
            let parsed = parse(text)
            #expect(parsed.map(\.value) == .success(text))
            #expect(parsed.map(\.birthDate) == .success(birth))
            let chars = Array(text)
            for position in 0..<18 {
                for replacement in (position == 17 ? digits + ["X"] : digits) where replacement != chars[position] {
                    var mutated = chars
                    mutated[position] = replacement
                    let expected = Reference.expectedError(mutated)
                    if case let .wrongCheckCharacter(want, found) = expected { #expect(want != found) }
                    #expect(parse(String(mutated)) == .failure(expected), "\(String(mutated))")
                    substitutions += 1
                }
            }
        }
        #expect(substitutions == samples.count * (17 * 9 + 10))
    }
}
