/// Appends an incremental update (§7.5.6) to a PDF: new object versions after
/// the original bytes, then an xref section listing only them, then a trailer
/// whose /Prev points at the previous section.
struct UpdateWriter {
    private(set) var bytes: [UInt8]
    private var offsets: [(reference: PDFReference, offset: Int)] = []

    init(original: [UInt8]) {
        bytes = original
        // cairo ends with "%%EOF\n"; a file without a final EOL still needs one
        // before the first new object.
        if let last = original.last, last != 0x0A, last != 0x0D { bytes.append(0x0A) }
    }

    var count: Int { bytes.count }

    mutating func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Bytes copied from the original file, which need not be UTF-8 (a
    /// literal string may hold any byte).
    mutating func write(_ raw: ArraySlice<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    mutating func beginObject(_ reference: PDFReference) {
        offsets.append((reference, bytes.count))
        write("\(reference.number) \(reference.generation) obj\n")
    }

    mutating func endObject() {
        write("\nendobj\n")
    }

    mutating func append(_ reference: PDFReference, body: String) {
        beginObject(reference)
        write(body)
        endObject()
    }

    /// A new version of `dictionary` (read from `original`) with `key` set to
    /// `value`; every other entry is copied byte for byte.
    mutating func append(_ reference: PDFReference, rewriting dictionary: PDFDictionary, from original: [UInt8],
                         setting key: String, to value: [UInt8]) {
        beginObject(reference)
        write("<<\n")
        for entry in dictionary.entries where entry.key != key {
            write(pdfName(entry.key) + " ")
            write(original[entry.valueSource])
            write("\n")
        }
        write(pdfName(key) + " ")
        write(value[...])
        write("\n>>")
        endObject()
    }

    /// Writes the xref section and trailer and returns the finished file.
    /// `trailerEntries` is the trailer dictionary's content without `<< >>`.
    mutating func finish(trailerEntries: [UInt8]) -> [UInt8] {
        let xrefOffset = bytes.count
        write("xref\n")
        // Subsections of consecutive object numbers (§7.5.4).
        let sorted = offsets.sorted { $0.reference.number < $1.reference.number }
        var index = 0
        while index < sorted.count {
            var end = index + 1
            while end < sorted.count, sorted[end].reference.number == sorted[end - 1].reference.number + 1 { end += 1 }
            write("\(sorted[index].reference.number) \(end - index)\n")
            for entry in sorted[index..<end] {
                // Each entry is exactly 20 bytes, ending in space + LF.
                write("\(zeroPadded(entry.offset, width: 10)) \(zeroPadded(entry.reference.generation, width: 5)) n \n")
            }
            index = end
        }
        write("trailer\n<< ")
        write(trailerEntries[...])
        write(" >>\nstartxref\n\(xrefOffset)\n%%EOF\n")
        return bytes
    }
}
