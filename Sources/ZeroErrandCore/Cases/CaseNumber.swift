/// The number people read and quote: "ZE-2026-000123". The year is the year the case was
/// created; the sequence restarts every year and has at least six digits.
public enum CaseNumber {
    public static let prefix = "ZE"

    public static func format(year: Int, sequence: Int) -> String {
        precondition((1000...9999).contains(year), "case number year must have four digits")
        precondition(sequence >= 1, "case number sequence starts at 1")
        let digits = String(sequence)
        return "\(prefix)-\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Reads a number as people type it: surrounding spaces and lower case are tolerated, anything
    /// else that `format` would not have produced is not.
    public static func parse(_ text: String) -> (year: Int, sequence: Int)? {
        let parts = CaseLifecycle.normalizedText(text).uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix,
              parts[1].count == 4, parts[1].allSatisfy(\.isASCIIDigit),
              parts[2].count >= 6, parts[2].count <= 18, parts[2].allSatisfy(\.isASCIIDigit),
              parts[2].count == 6 || parts[2].first != "0",
              let year = Int(parts[1]), year >= 1000,
              let sequence = Int(parts[2]), sequence >= 1
        else { return nil }
        return (year, sequence)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
