import Foundation

// Byte and text encodings shared by the parser, the sealer and the verifier.

func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension Array where Element == UInt8 {
    /// Start of the last occurrence of `needle`.
    func lastOccurrence(of needle: String) -> Int? {
        let pattern = Array(needle.utf8)
        var start = count - pattern.count
        while start >= 0 {
            if self[start..<start + pattern.count].elementsEqual(pattern) { return start }
            start -= 1
        }
        return nil
    }
}

/// PDF text strings (§7.9.2.2): ASCII as a literal string, anything else as
/// UTF-16BE with a byte-order mark, which every reader decodes.
func pdfTextString(_ text: String) -> String {
    if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
        var escaped = ""
        for character in text {
            if character == "(" || character == ")" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "(\(escaped))"
    }
    let units = [0xFEFF] + Array(text.utf16)
    return "<" + units.map { hexDigits($0, width: 4) }.joined() + ">"
}

/// A name object, with `#xx` for bytes that may not appear literally (§7.3.5).
func pdfName(_ name: String) -> String {
    "/" + name.utf8.map { byte in
        let regular = byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#") && !PDFParser.isDelimiter(byte)
        return regular ? String(Unicode.Scalar(byte)) : "#" + hexDigits(byte, width: 2)
    }.joined()
}

func hexDigits(_ value: some BinaryInteger, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Inverse of `pdfTextString` for what readers commonly write: UTF-16BE with a
/// BOM, else treated as Latin-1 (PDFDocEncoding agrees with it on ASCII).
func decodeTextString(_ bytes: [UInt8]) -> String {
    if bytes.starts(with: [0xFE, 0xFF]) {
        let units = stride(from: 2, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        return String(decoding: units, as: UTF16.self)
    }
    return String(bytes.map { Character(Unicode.Scalar($0)) })
}

/// A PDF date (§7.9.4) in UTC, e.g. `D:20260102030405Z`.
func pdfDate(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let fields = [(c.year!, 4), (c.month!, 2), (c.day!, 2), (c.hour!, 2), (c.minute!, 2), (c.second!, 2)]
    return "D:" + fields.map { zeroPadded($0.0, width: $0.1) }.joined() + "Z"
}

func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
}
