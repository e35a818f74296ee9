/// An indirect object reference `N G R`.
struct PDFReference: Hashable, CustomStringConvertible {
    var number: Int
    var generation: Int
    var description: String { "\(number) \(generation) R" }
}

/// Just enough of the PDF object model to read a trailer, a catalog, page-tree
/// nodes and a signature dictionary. Streams are never read: the objects we
/// need are plain dictionaries, and their stream data (if any) is left alone.
indirect enum PDFValue: Equatable {
    case integer(Int)
    case real(Double)
    case boolean(Bool)
    case null
    case name(String)
    case string([UInt8])
    case array([PDFValue])
    case dictionary(PDFDictionary)
    case reference(PDFReference)
}

struct PDFDictionary: Equatable {
    struct Entry: Equatable {
        var key: String
        var value: PDFValue
        /// Where the entry's value lies in the file, so that an unchanged entry
        /// can be copied verbatim into a new version of the object.
        var valueSource: Range<Int>
    }

    var entries: [Entry]

    subscript(key: String) -> PDFValue? {
        entries.first { $0.key == key }?.value
    }

    func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }
}

/// A recursive-descent reader over the file's bytes (ISO 32000-1 §7.2-7.3).
struct PDFParser {
    let bytes: [UInt8]
    var position: Int
    /// Arrays and dictionaries being read; bounded so that a hostile file
    /// of nested brackets cannot exhaust the stack.
    private var nesting = 0
    private static let maximumNesting = 64

    init(_ bytes: [UInt8], at position: Int) {
        self.bytes = bytes
        self.position = position
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x00 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        Array("()<>[]{}/%".utf8).contains(byte)
    }

    private func failure(_ what: String) -> SealError {
        .malformedPDF("\(what) at byte \(position)")
    }

    mutating func skipWhitespaceAndComments() {
        while position < bytes.count {
            if Self.isWhitespace(bytes[position]) {
                position += 1
            } else if bytes[position] == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// A run of regular characters: a keyword, a number, or the body of a name.
    mutating func token() -> String {
        let start = position
        while position < bytes.count, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func expectKeyword(_ keyword: String) throws(SealError) {
        skipWhitespaceAndComments()
        guard token() == keyword else { throw failure("expected `\(keyword)`") }
    }

    mutating func integer() throws(SealError) -> Int {
        skipWhitespaceAndComments()
        guard let value = Int(token()) else { throw failure("expected an integer") }
        return value
    }

    /// `N G obj` followed by the object's value.
    mutating func indirectObject() throws(SealError) -> (PDFReference, PDFValue) {
        let reference = PDFReference(number: try integer(), generation: try integer())
        try expectKeyword("obj")
        return (reference, try value())
    }

    mutating func value() throws(SealError) -> PDFValue {
        skipWhitespaceAndComments()
        guard position < bytes.count else { throw failure("unexpected end of file") }
        guard nesting < Self.maximumNesting else { throw failure("objects nested too deeply") }
        nesting += 1
        defer { nesting -= 1 }
        switch bytes[position] {
        case UInt8(ascii: "/"):
            return .name(try name())
        case UInt8(ascii: "("):
            return .string(try literalString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                return .dictionary(try dictionary())
            }
            return .string(try hexString())
        case UInt8(ascii: "["):
            position += 1
            var items: [PDFValue] = []
            while true {
                skipWhitespaceAndComments()
                guard position < bytes.count else { throw failure("unterminated array") }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                items.append(try value())
            }
        default:
            return try numberOrKeyword()
        }
    }

    mutating func dictionary() throws(SealError) -> PDFDictionary {
        position += 2  // <<
        var entries: [PDFDictionary.Entry] = []
        while true {
            skipWhitespaceAndComments()
            guard position + 1 < bytes.count else { throw failure("unterminated dictionary") }
            if bytes[position] == UInt8(ascii: ">"), bytes[position + 1] == UInt8(ascii: ">") {
                position += 2
                return PDFDictionary(entries: entries)
            }
            guard bytes[position] == UInt8(ascii: "/") else { throw failure("expected a name as dictionary key") }
            let key = try name()
            skipWhitespaceAndComments()
            let start = position
            let value = try value()
            entries.append(.init(key: key, value: value, valueSource: start..<position))
        }
    }

    private mutating func name() throws(SealError) -> String {
        position += 1  // /
        let raw = token()
        // #xx escapes (§7.3.5); the names we compare against never need them,
        // but decoding keeps comparisons honest for names that use them.
        var decoded: [UInt8] = []
        var utf8 = Array(raw.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "#"), utf8.count >= 2,
               let code = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                decoded.append(code)
                utf8 = utf8.dropFirst(2)
            } else {
                decoded.append(byte)
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private mutating func numberOrKeyword() throws(SealError) -> PDFValue {
        let start = position
        let word = token()
        switch word {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "null": return .null
        default: break
        }
        guard let number = Int(word) else {
            if let real = Double(word) { return .real(real) }
            position = start
            throw failure("unexpected token `\(word)`")
        }
        // `N G R` is a reference; look ahead without consuming unless it matches.
        let afterNumber = position
        skipWhitespaceAndComments()
        if let generation = Int(token()) {
            skipWhitespaceAndComments()
            if token() == "R" { return .reference(PDFReference(number: number, generation: generation)) }
        }
        position = afterNumber
        return .integer(number)
    }

    private mutating func hexString() throws(SealError) -> [UInt8] {
        position += 1  // <
        var digits: [UInt8] = []
        while position < bytes.count, bytes[position] != UInt8(ascii: ">") {
            let byte = bytes[position]
            position += 1
            if Self.isWhitespace(byte) { continue }
            guard let digit = hexDigitValue(byte) else { throw failure("bad hex digit") }
            digits.append(digit)
        }
        guard position < bytes.count else { throw failure("unterminated hex string") }
        position += 1  // >
        if digits.count % 2 == 1 { digits.append(0) }  // §7.3.4.3: a missing final digit is 0
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    private mutating func literalString() throws(SealError) -> [UInt8] {
        position += 1  // (
        var result: [UInt8] = []
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                depth += 1
                result.append(byte)
            case UInt8(ascii: ")"):
                if depth == 0 { return result }
                depth -= 1
                result.append(byte)
            case UInt8(ascii: "\\"):
                try escape(into: &result)
            default:
                result.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func escape(into result: inout [UInt8]) throws(SealError) {
        guard position < bytes.count else { throw failure("unterminated string") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "b"): result.append(0x08)
        case UInt8(ascii: "f"): result.append(0x0C)
        case 0x0D:  // line continuation: backslash-EOL is dropped
            if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        case 0x0A:
            break
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var code = Int(byte - UInt8(ascii: "0"))
            for _ in 0..<2 {
                guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position]) else { break }
                code = code * 8 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            result.append(UInt8(truncatingIfNeeded: code))
        default:  // \( \) \\ and any unknown escape stand for the character itself
            result.append(byte)
        }
    }
}
