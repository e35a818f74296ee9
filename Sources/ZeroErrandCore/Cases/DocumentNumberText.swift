/// How official numbers are read as people type or copy them ("（2026）浙温证字第１２号",
/// "(2026) zhe wen zheng zi no. 12"): shared by notarial certificate and court document numbers.
enum DocumentNumberText {
    /// Whitespace removed, full-width digits and brackets made ASCII, ASCII letters lower-cased.
    static func compacted(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
            switch scalar.value {
            case 0xFF10...0xFF19: scalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF08, 0x3014: scalars.append("(")
            case 0xFF09, 0x3015: scalars.append(")")
            case 0x41...0x5A: scalars.append(Unicode.Scalar(scalar.value + 0x20)!)
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Takes the leading ASCII digits; nil unless their count is in `count` and there is no
    /// leading zero (a serial "0123" is not what the office wrote).
    static func digits(_ text: inout Substring, count: ClosedRange<Int>) -> Int? {
        let run = text.prefix { $0.isASCII && $0.isNumber }
        text = text.dropFirst(run.count)
        guard count.contains(run.count), run.first != "0" else { return nil }
        return Int(run)
    }
}
