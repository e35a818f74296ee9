/// The file's classic cross-reference tables (§7.5.4), newest section first
/// and following /Prev, merged into one map from object to byte offset.
struct PDFCrossReference {
    let bytes: [UInt8]
    /// The newest trailer dictionary.
    let trailer: PDFDictionary
    /// Offset of the newest xref section: the /Prev of the next update.
    let startxref: Int
    /// In-use objects; a newer section's entry (in use or free) hides older ones.
    let offsets: [PDFReference: Int]

    init(_ bytes: [UInt8]) throws(SealError) {
        self.bytes = bytes
        guard let keyword = bytes.lastOccurrence(of: "startxref") else { throw .malformedPDF("no startxref") }
        var parser = PDFParser(bytes, at: keyword + "startxref".utf8.count)
        startxref = try parser.integer()

        var newestTrailer: PDFDictionary?
        var offsets: [PDFReference: Int] = [:]
        var decided: Set<Int> = []
        var sectionOffset: Int? = startxref
        var visited: Set<Int> = []
        while let offset = sectionOffset {
            guard offset >= 0, offset < bytes.count, visited.insert(offset).inserted else {
                throw .malformedPDF("xref offset \(offset) is out of range or loops")
            }
            let section = try Self.section(bytes, at: offset)
            for entry in section.entries where decided.insert(entry.number).inserted {
                if let inUse = entry.offset { offsets[PDFReference(number: entry.number, generation: entry.generation)] = inUse }
            }
            if section.trailer["XRefStm"] != nil { throw .crossReferenceStreamUnsupported }
            newestTrailer = newestTrailer ?? section.trailer
            switch section.trailer["Prev"] {
            case .integer(let previous): sectionOffset = previous
            case nil: sectionOffset = nil
            default: throw .malformedPDF("trailer /Prev is not an integer")
            }
        }
        trailer = newestTrailer!
        self.offsets = offsets
    }

    private struct Entry {
        var number: Int, generation: Int
        /// nil for a free entry.
        var offset: Int?
    }

    private static func section(_ bytes: [UInt8], at offset: Int) throws(SealError) -> (entries: [Entry], trailer: PDFDictionary) {
        var parser = PDFParser(bytes, at: offset)
        parser.skipWhitespaceAndComments()
        let keyword = parser.token()
        guard keyword == "xref" else {
            // A cross-reference stream starts as an indirect object, `N G obj`.
            if Int(keyword) != nil { throw .crossReferenceStreamUnsupported }
            throw .malformedPDF("no xref table at byte \(offset)")
        }
        var entries: [Entry] = []
        while true {
            parser.skipWhitespaceAndComments()
            let start = parser.position
            if parser.token() == "trailer" { break }
            parser.position = start
            let first = try parser.integer(), count = try parser.integer()
            // Each entry takes bytes, so a count beyond the file size is a lie.
            guard first >= 0, (0...bytes.count).contains(count), first <= Int.max - count else {
                throw .malformedPDF("bad xref subsection \(first) \(count)")
            }
            for number in first..<first + count {
                let entryOffset = try parser.integer(), generation = try parser.integer()
                parser.skipWhitespaceAndComments()
                switch parser.token() {
                case "n": entries.append(Entry(number: number, generation: generation, offset: entryOffset))
                case "f": entries.append(Entry(number: number, generation: generation, offset: nil))
                default: throw .malformedPDF("bad xref entry for object \(number)")
                }
            }
        }
        guard case .dictionary(let trailer) = try parser.value() else { throw .malformedPDF("trailer is not a dictionary") }
        return (entries, trailer)
    }

    /// The indirect object's value, checked against the object header.
    func object(_ reference: PDFReference) throws(SealError) -> PDFValue {
        guard let offset = offsets[reference] else { throw .malformedPDF("object \(reference) is not in the xref table") }
        var parser = PDFParser(bytes, at: offset)
        let (header, value) = try parser.indirectObject()
        guard header == reference else { throw .malformedPDF("xref points object \(reference) at \(header)") }
        return value
    }

    func dictionary(_ reference: PDFReference) throws(SealError) -> PDFDictionary {
        guard case .dictionary(let dictionary) = try object(reference) else {
            throw .malformedPDF("object \(reference) is not a dictionary")
        }
        return dictionary
    }

    /// The in-use object whose text contains `position`: the one that starts
    /// last at or before it.
    func object(containing position: Int) -> PDFReference? {
        offsets.filter { $0.value <= position }.max { $0.value < $1.value }?.key
    }
}
