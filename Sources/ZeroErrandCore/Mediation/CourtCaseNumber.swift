/// A court's code in its case numbers: "浙0328" (Zhejiang, Wencheng County court) and its
/// rendering "Zhe 0328". Both come from the court's own records (`Resources/Mediation/courts.yaml`).
public struct CourtCode: Hashable, Sendable {
    /// One to four Han characters (the province, and for some courts more), then up to six digits.
    public let chinese: String
    /// Words of ASCII letters or digits separated by single spaces, e.g. "Zhe 0328".
    public let english: String

    public init?(chinese: String, english: String) {
        let scalars = Array(chinese.unicodeScalars)
        let han = scalars.prefix { $0.properties.isIdeographic }
        let digits = scalars.dropFirst(han.count)
        guard (1...4).contains(han.count), digits.count <= 6, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let words = english.split(separator: " ")
        guard !words.isEmpty, words.count <= 8,
              words.allSatisfy({ $0.count <= 12 && $0.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) } })
        else { return nil }
        self.chinese = chinese
        self.english = words.joined(separator: " ")
    }
}

/// A court document's case number: `(2027)浙0328民特12号`, in English `(2027) Zhe 0328 Min Te No. 12`.
/// 民特 marks the special procedures, among them the judicial confirmation of a mediation
/// agreement. The serial counts from 1 for each court, kind and year; the app keeps the counter.
public struct CourtCaseNumber: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// 民特: special procedures, such as confirming a mediation agreement.
        case specialProcedure = "min_te"

        public var chinese: String { "民特" }
        public var english: String { "Min Te" }
    }

    public let year: Int
    public let court: CourtCode
    public let kind: Kind
    public let serial: Int

    public static let maxSerial = 999_999_999

    public init?(year: Int, court: CourtCode, kind: Kind, serial: Int) {
        guard (1000...9999).contains(year), (1...Self.maxSerial).contains(serial) else { return nil }
        self.year = year
        self.court = court
        self.kind = kind
        self.serial = serial
    }

    public var chinese: String { "(\(year))\(court.chinese)\(kind.chinese)\(serial)号" }
    public var english: String { "(\(year)) \(court.english) \(kind.english) No. \(serial)" }
    public var description: String { chinese }

    /// Reads a number of `court` and `kind` in either rendering, as people type or copy it (spaces
    /// anywhere, full-width digits and brackets, any letter case). Anything else is not a number.
    public static func parse(_ text: String, court: CourtCode, kind: Kind) -> CourtCaseNumber? {
        var rest = Substring(DocumentNumberText.compacted(text))
        guard rest.popFirst() == "(", let year = DocumentNumberText.digits(&rest, count: 4...4), rest.popFirst() == ")" else { return nil }
        let serial: Int?
        let chinesePrefix = court.chinese + kind.chinese
        let englishPrefix = DocumentNumberText.compacted(court.english + kind.english) + "no."
        if rest.hasPrefix(chinesePrefix) {
            rest = rest.dropFirst(chinesePrefix.count)
            serial = DocumentNumberText.digits(&rest, count: 1...9)
            guard rest == "号" else { return nil }
        } else if rest.hasPrefix(englishPrefix) {
            rest = rest.dropFirst(englishPrefix.count)
            serial = DocumentNumberText.digits(&rest, count: 1...9)
            guard rest.isEmpty else { return nil }
        } else {
            return nil
        }
        guard let serial else { return nil }
        return CourtCaseNumber(year: year, court: court, kind: kind, serial: serial)
    }
}
