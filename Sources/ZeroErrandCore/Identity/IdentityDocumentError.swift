/// The MRZ field whose check digit failed. The raw values are exposed to the
/// web app in `IdentityDocumentError.arguments`, so they must stay stable.
public enum MRZField: String, Sendable, Equatable, Hashable, CaseIterable {
    case documentNumber, birthDate, expiryDate, personalNumber, composite

    var englishName: String {
        switch self {
        case .documentNumber: "document number"
        case .birthDate: "birth date"
        case .expiryDate: "expiry date"
        case .personalNumber: "personal number"
        case .composite: "whole second line"
        }
    }
}

/// Why an identity document number or passport MRZ was refused.
///
/// Each case carries just enough for a UI to point at the problem; `code` and
/// `arguments` let the web app translate it, `description` is English for logs.
/// Positions are 1-based, as printed on the document.
public enum IdentityDocumentError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    case empty
    case wrongLength(expected: Int, found: Int)
    case lineCount(expected: Int, found: Int)
    case lineLength(line: Int, expected: Int, found: Int)
    case invalidCharacter(position: Int, found: Character)
    case invalidMRZCharacter(line: Int, position: Int, found: Character)
    case unknownRegion(String)
    case invalidBirthDate(String)
    case birthDateInFuture(String)
    case invalidExpiryDate(String)
    case wrongCheckCharacter(expected: Character, found: Character)
    case wrongCheckDigit(field: MRZField, expected: Character, found: Character)
    case wrongDocumentCode(String)
    case invalidSex(Character)

    /// Stable translation key, one per case.
    public var code: String {
        switch self {
        case .empty: "identity.empty"
        case .wrongLength: "identity.wrong_length"
        case .lineCount: "identity.mrz_line_count"
        case .lineLength: "identity.mrz_line_length"
        case .invalidCharacter: "identity.invalid_character"
        case .invalidMRZCharacter: "identity.mrz_invalid_character"
        case .unknownRegion: "identity.unknown_region"
        case .invalidBirthDate: "identity.invalid_birth_date"
        case .birthDateInFuture: "identity.birth_date_in_future"
        case .invalidExpiryDate: "identity.invalid_expiry_date"
        case .wrongCheckCharacter: "identity.wrong_check_character"
        case .wrongCheckDigit: "identity.mrz_wrong_check_digit"
        case .wrongDocumentCode: "identity.mrz_wrong_document_code"
        case .invalidSex: "identity.mrz_invalid_sex"
        }
    }

    /// Placeholder values for the translated message, all as strings so they
    /// serialise to JSON without further thought.
    public var arguments: [String: String] {
        switch self {
        case .empty:
            [:]
        case let .wrongLength(expected, found), let .lineCount(expected, found):
            ["expected": String(expected), "found": String(found)]
        case let .lineLength(line, expected, found):
            ["line": String(line), "expected": String(expected), "found": String(found)]
        case let .invalidCharacter(position, found):
            ["position": String(position), "found": String(found)]
        case let .invalidMRZCharacter(line, position, found):
            ["line": String(line), "position": String(position), "found": String(found)]
        case let .unknownRegion(region):
            ["region": region]
        case let .invalidBirthDate(date), let .birthDateInFuture(date), let .invalidExpiryDate(date):
            ["date": date]
        case let .wrongCheckCharacter(expected, found):
            ["expected": String(expected), "found": String(found)]
        case let .wrongCheckDigit(field, expected, found):
            ["field": field.rawValue, "expected": String(expected), "found": String(found)]
        case let .wrongDocumentCode(documentCode):
            ["code": documentCode]
        case let .invalidSex(found):
            ["found": String(found)]
        }
    }

    public var description: String {
        switch self {
        case .empty:
            "nothing was entered"
        case let .wrongLength(expected, found):
            "the number should have \(expected) characters, not \(found)"
        case let .lineCount(expected, found):
            "the machine-readable zone should have \(expected) lines, not \(found)"
        case let .lineLength(line, expected, found):
            "line \(line) should have \(expected) characters, not \(found)"
        case let .invalidCharacter(position, found):
            "character \(position) (\"\(found)\") is not allowed there"
        case let .invalidMRZCharacter(line, position, found):
            "line \(line), character \(position) (\"\(found)\") is not allowed there"
        case let .unknownRegion(region):
            "\(region) is not a known region code"
        case let .invalidBirthDate(date):
            "\(date) is not a valid birth date"
        case let .birthDateInFuture(date):
            "the birth date \(date) is in the future"
        case let .invalidExpiryDate(date):
            "\(date) is not a valid expiry date"
        case let .wrongCheckCharacter(expected, found):
            "the check character should be \(expected), not \(found)"
        case let .wrongCheckDigit(field, expected, found):
            "the check digit for the \(field.englishName) should be \(expected), not \(found)"
        case let .wrongDocumentCode(documentCode):
            "\"\(documentCode)\" is not a passport document code"
        case let .invalidSex(found):
            "\"\(found)\" is not a valid sex (M, F or <)"
        }
    }
}
