/// The short name a notary office puts into its certificate numbers: "浙温" (Zhejiang, Wenzhou)
/// and its pinyin "Zhe Wen" for the English rendering. Both come from the office's own records;
/// nothing here derives one from the other.
public struct NotaryOfficeAbbreviation: Hashable, Sendable {
    /// One to eight Han characters, e.g. "浙温".
    public let chinese: String
    /// Words of ASCII letters separated by single spaces, e.g. "Zhe Wen"; surrounding and repeated
    /// spaces are removed, letter case is kept as given.
    public let pinyin: String

    /// Nil when either part is empty or holds anything else than described above.
    public init?(chinese: String, pinyin: String) {
        let han = chinese.unicodeScalars
        guard (1...8).contains(han.count), han.allSatisfy(\.properties.isIdeographic) else { return nil }
        let words = pinyin.split(separator: " ")
        guard !words.isEmpty, words.count <= 8,
              words.allSatisfy({ $0.count <= 12 && $0.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic } })
        else { return nil }
        self.chinese = chinese
        self.pinyin = words.joined(separator: " ")
    }
}

/// A notarial certificate's number as the office writes it: `(2026)浙温证字第123号`, in English
/// `(2026) Zhe Wen Zheng Zi No. 123`. The serial counts from 1 for each office and year; the app
/// keeps that counter, this type only writes and reads the number.
public struct NotarialCertificateNumber: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let office: NotaryOfficeAbbreviation
    public let serial: Int

    /// Largest serial: nine digits, far beyond any office's yearly count, so a number never overflows.
    public static let maxSerial = 999_999_999

    /// Nil unless the year has four digits and the serial is in 1...`maxSerial`.
    public init?(year: Int, office: NotaryOfficeAbbreviation, serial: Int) {
        guard (1000...9999).contains(year), (1...Self.maxSerial).contains(serial) else { return nil }
        self.year = year
        self.office = office
        self.serial = serial
    }

    /// `(2026)浙温证字第123号`: 证字 marks a certificate, 第…号 encloses the serial.
    public var chinese: String { "(\(year))\(office.chinese)证字第\(serial)号" }

    /// `(2026) Zhe Wen Zheng Zi No. 123`.
    public var english: String { "(\(year)) \(office.pinyin) Zheng Zi No. \(serial)" }

    public var description: String { chinese }

    /// Reads a number of `office` in either rendering, as people type or copy it: spaces anywhere,
    /// full-width digits and brackets (（2026） or 〔2026〕 as on paper) and any letter case are
    /// tolerated. Anything else (another office, a serial with leading zeros or of zero, missing
    /// parts, trailing text) is not a number.
    public static func parse(_ text: String, office: NotaryOfficeAbbreviation) -> NotarialCertificateNumber? {
        var rest = Substring(DocumentNumberText.compacted(text))
        guard rest.popFirst() == "(", let year = DocumentNumberText.digits(&rest, count: 4...4), rest.popFirst() == ")" else { return nil }
        let serial: Int?
        if rest.hasPrefix(office.chinese + "证字第") {
            rest = rest.dropFirst(office.chinese.count + 3)
            serial = DocumentNumberText.digits(&rest, count: 1...9)
            guard rest == "号" else { return nil }
        } else if rest.hasPrefix(DocumentNumberText.compacted(office.pinyin) + "zhengzino.") {
            rest = rest.dropFirst(DocumentNumberText.compacted(office.pinyin).count + "zhengzino.".count)
            serial = DocumentNumberText.digits(&rest, count: 1...9)
            guard rest.isEmpty else { return nil }
        } else {
            return nil
        }
        guard let serial else { return nil }
        return NotarialCertificateNumber(year: year, office: office, serial: serial)
    }
}
