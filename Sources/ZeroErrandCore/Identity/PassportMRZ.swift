import Foundation

/// The two-line machine-readable zone of a passport (ICAO Doc 9303 Part 4, TD3).
///
/// Validation covers the character set, line lengths, the document code,
/// the syntax of each field, every check digit and the composite check digit.
/// Dates stay raw `YYMMDD` strings: the century cannot be read from the MRZ,
/// and guessing it is a business decision, not a validation one.
public struct PassportMRZ: Sendable, Hashable {
    public static let lineLength = 44

    public let line1: String
    public let line2: String
    /// Fillers stripped, e.g. `P` for `P<`.
    public let documentCode: String
    /// Fillers stripped, e.g. `D` for Germany's `D<<`.
    public let issuingState: String
    public let surname: String
    public let givenNames: String
    public let documentNumber: String
    public let nationality: String
    /// Raw `YYMMDD`.
    public let birthDate: String
    /// `M`, `F` or `<` (unspecified).
    public let sex: Character
    /// Raw `YYMMDD`.
    public let expiryDate: String
    public let personalNumber: String

    /// Accepts the MRZ as typed or scanned: lines separated by any newline,
    /// surrounding spaces and blank lines ignored, lowercase uppercased.
    public init(_ text: String) throws(IdentityDocumentError) {
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw .empty }
        guard lines.count == 2 else { throw .lineCount(expected: 2, found: lines.count) }
        try self.init(line1: lines[0], line2: lines[1])
    }

    /// Strict: the lines must already be exactly as printed. Structural
    /// problems are reported before check digits, because a check digit
    /// failure on a field that cannot be right anyway tells the user less.
    public init(line1: String, line2: String) throws(IdentityDocumentError) {
        guard !(line1.isEmpty && line2.isEmpty) else { throw .empty }
        let l1 = try Self.characters(of: line1, line: 1)
        let l2 = try Self.characters(of: line2, line: 2)

        guard l1[0] == "P", Self.isLetterOrFiller(l1[1]) else {
            throw .wrongDocumentCode(String(l1[0..<2]))
        }
        // Doc 9303 allows only letters and fillers in state codes and names.
        try Self.requireLettersOrFillers(l1, 2..<44, line: 1)

        try Self.requireDigit(l2, at: 9)
        try Self.requireLettersOrFillers(l2, 10..<13, line: 2)
        let birth = String(l2[13..<19])
        guard Self.isValidDate(l2[13..<19]) else { throw .invalidBirthDate(birth) }
        try Self.requireDigit(l2, at: 19)
        guard ["M", "F", "<"].contains(l2[20]) else { throw .invalidSex(l2[20]) }
        let expiry = String(l2[21..<27])
        guard Self.isValidDate(l2[21..<27]) else { throw .invalidExpiryDate(expiry) }
        try Self.requireDigit(l2, at: 27)
        guard Self.isDigit(l2[42]) || l2[42] == "<" else {
            throw .invalidMRZCharacter(line: 2, position: 43, found: l2[42])
        }
        try Self.requireDigit(l2, at: 43)

        try Self.verify(l2[0..<9], against: l2[9], field: .documentNumber)
        try Self.verify(l2[13..<19], against: l2[19], field: .birthDate)
        try Self.verify(l2[21..<27], against: l2[27], field: .expiryDate)
        // A filler check digit is the issuer's way of saying "no personal
        // number", so it is only honest when the field really is empty.
        let personal = l2[28..<42]
        if l2[42] == "<" {
            guard personal.allSatisfy({ $0 == "<" }) else {
                throw .wrongCheckDigit(field: .personalNumber, expected: Self.checkDigit(personal), found: "<")
            }
        } else {
            try Self.verify(personal, against: l2[42], field: .personalNumber)
        }
        try Self.verify(l2[0..<10] + l2[13..<20] + l2[21..<43], against: l2[43], field: .composite)

        self.line1 = line1
        self.line2 = line2
        documentCode = Self.trimFillers(l1[0..<2])
        issuingState = Self.trimFillers(l1[2..<5])
        (surname, givenNames) = Self.names(l1[5..<44])
        documentNumber = Self.trimFillers(l2[0..<9])
        nationality = Self.trimFillers(l2[10..<13])
        birthDate = birth
        sex = l2[20]
        expiryDate = expiry
        personalNumber = Self.trimFillers(personal)
    }

    /// Doc 9303 check digit: weights 7, 3, 1 repeating; `<` counts 0, digits
    /// their value, `A`-`Z` 10-35; sum mod 10. Characters outside that set
    /// also count 0, so validate the alphabet before trusting the result.
    public static func checkDigit(_ field: some Sequence<Character>) -> Character {
        let weights = [7, 3, 1]
        var sum = 0
        for (index, char) in field.enumerated() {
            sum += value(of: char) * weights[index % 3]
        }
        return Character(String(sum % 10))
    }

    private static func value(of char: Character) -> Int {
        guard char.isASCII, let ascii = char.asciiValue else { return 0 }
        switch ascii {
        case 48...57: return Int(ascii) - 48
        case 65...90: return Int(ascii) - 55
        default: return 0
        }
    }

    private static func characters(of line: String, line number: Int) throws(IdentityDocumentError) -> [Character] {
        let chars = Array(line)
        guard chars.count == lineLength else {
            throw .lineLength(line: number, expected: lineLength, found: chars.count)
        }
        for (index, char) in chars.enumerated() where !(isDigit(char) || isLetterOrFiller(char)) {
            throw .invalidMRZCharacter(line: number, position: index + 1, found: char)
        }
        return chars
    }

    private static func requireLettersOrFillers(
        _ chars: [Character], _ range: Range<Int>, line: Int
    ) throws(IdentityDocumentError) {
        for index in range where !isLetterOrFiller(chars[index]) {
            throw .invalidMRZCharacter(line: line, position: index + 1, found: chars[index])
        }
    }

    private static func requireDigit(_ chars: [Character], at index: Int) throws(IdentityDocumentError) {
        guard isDigit(chars[index]) else {
            throw .invalidMRZCharacter(line: 2, position: index + 1, found: chars[index])
        }
    }

    private static func verify(
        _ field: some Sequence<Character>, against found: Character, field name: MRZField
    ) throws(IdentityDocumentError) {
        let expected = checkDigit(field)
        guard expected == found else {
            throw .wrongCheckDigit(field: name, expected: expected, found: found)
        }
    }

    /// The century is unknown, so Feb 29 is accepted whenever YY is divisible
    /// by 4: 2000 + YY is then a leap year (2000 itself included), and we do
    /// not reject a date that is real in at least one plausible century.
    private static func isValidDate(_ yymmdd: ArraySlice<Character>) -> Bool {
        guard yymmdd.allSatisfy(isDigit) else { return false }
        let n = yymmdd.compactMap(\.wholeNumberValue)
        return IdentityBirthDate(year: 2000 + n[0] * 10 + n[1], month: n[2] * 10 + n[3], day: n[4] * 10 + n[5]) != nil
    }

    /// Primary identifier before the first `<<`, secondary after; single
    /// fillers separate name components and become spaces.
    private static func names(_ field: ArraySlice<Character>) -> (String, String) {
        let text = String(field)
        func words(_ part: Substring) -> String {
            part.split(separator: "<").joined(separator: " ")
        }
        guard let separator = text.firstRange(of: "<<") else { return (words(text[...]), "") }
        return (words(text[..<separator.lowerBound]), words(text[separator.upperBound...]))
    }

    private static func trimFillers(_ chars: ArraySlice<Character>) -> String {
        var slice = chars
        while slice.first == "<" { slice = slice.dropFirst() }
        while slice.last == "<" { slice = slice.dropLast() }
        return String(slice)
    }

    private static func isDigit(_ char: Character) -> Bool {
        char.isASCII && (char.asciiValue.map { (48...57).contains($0) } ?? false)
    }

    private static func isLetterOrFiller(_ char: Character) -> Bool {
        char.isASCII && (char.asciiValue.map { (65...90).contains($0) || $0 == 60 } ?? false)
    }
}
