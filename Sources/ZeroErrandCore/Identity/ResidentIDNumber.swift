import Foundation

/// A calendar day as printed on an identity document: no time, no time zone.
/// Named so as not to collide with other day types in the host module.
public struct IdentityBirthDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Fails unless the day exists in the (proleptic) Gregorian calendar, so
    /// every instance is a real date and callers never re-validate.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC calendar day of `date`. UTC so that the answer does not depend
    /// on the server's configured time zone.
    public init(utc date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        year = calendar.component(.year, from: date)
        month = calendar.component(.month, from: date)
        day = calendar.component(.day, from: date)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// ISO 8601 (`1949-12-31`).
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }
}

/// A mainland China resident identity card number (GB 11643-1999), validated
/// for shape, province, birth date and the ISO 7064 MOD 11-2 check character.
public struct ResidentIDNumber: Sendable, Hashable, CustomStringConvertible {
    public static let length = 18

    /// 2^(17-i) mod 11, spelled out because the standard publishes the table.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")
    /// Only the province level is checked: the full GB/T 2260 county list
    /// changes every year and would reject genuine older cards.
    static let provincePrefixes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65", "71", "81", "82", "83", "91",
    ]

    /// The normalised number: trimmed, with an uppercase `X`.
    public let value: String
    public let birthDate: IdentityBirthDate
    /// The 17th digit is odd for men and even for women.
    public let isMale: Bool

    /// Positions 1-6, the administrative division where the number was issued.
    public var regionCode: String { String(value.prefix(6)) }

    /// Safe to show or log: region and last four kept, birth date hidden.
    public var masked: String {
        String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4))
    }

    /// Masked, so that interpolating a number into a log line cannot leak it.
    public var description: String { masked }

    /// Validates `text`, refusing birth dates after the UTC calendar day of `today`.
    public init(_ text: String, notAfter today: Date = Date()) throws(IdentityDocumentError) {
        try self.init(text, notAfter: IdentityBirthDate(utc: today))
    }

    /// Validates `text`, refusing birth dates after `today`. Checks run in the
    /// order shape, region, date, check character, so the error names the
    /// first thing a person would fix.
    public init(_ text: String, notAfter today: IdentityBirthDate) throws(IdentityDocumentError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        var chars = Array(trimmed)
        guard chars.count == Self.length else {
            throw .wrongLength(expected: Self.length, found: chars.count)
        }
        if chars[17] == "x" { chars[17] = "X" }
        for (index, char) in chars.enumerated()
        where !(Self.isASCIIDigit(char) || (index == 17 && char == "X")) {
            throw .invalidCharacter(position: index + 1, found: char)
        }
        let digits = chars[0..<17].compactMap(\.wholeNumberValue)

        guard Self.provincePrefixes.contains(String(chars[0..<2])) else {
            throw .unknownRegion(String(chars[0..<6]))
        }

        let rawDate = String(chars[6..<14])
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard year >= 1900, let birth = IdentityBirthDate(year: year, month: month, day: day) else {
            throw .invalidBirthDate(rawDate)
        }
        guard birth <= today else { throw .birthDateInFuture(rawDate) }

        let expected = Self.checkCharacter(digits)
        guard chars[17] == expected else {
            throw .wrongCheckCharacter(expected: expected, found: chars[17])
        }

        value = String(chars)
        birthDate = birth
        isMale = digits[16] % 2 == 1
    }

    /// The MOD 11-2 check character for exactly 17 ASCII digits, or nil for
    /// anything else.
    public static func checkCharacter(forFirst17 digits: String) -> Character? {
        let chars = Array(digits)
        guard chars.count == 17, chars.allSatisfy(isASCIIDigit) else { return nil }
        return checkCharacter(chars.compactMap(\.wholeNumberValue))
    }

    private static func checkCharacter(_ digits: [Int]) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// `Character.isNumber` would also accept full-width and other scripts' digits.
    private static func isASCIIDigit(_ char: Character) -> Bool {
        char.isASCII && (char.asciiValue.map { (48...57).contains($0) } ?? false)
    }
}
