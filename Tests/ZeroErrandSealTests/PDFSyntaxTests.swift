import Foundation
import Testing
@testable import ZeroErrandSeal

@Suite struct PDFSyntaxTests {
    @Test func textStringsAreLiteralForASCIIAndUTF16Otherwise() {
        #expect(pdfTextString("No. 12 (copy) \\ A") == #"(No. 12 \(copy\) \\ A)"#)
        #expect(pdfTextString("公证") == "<FEFF516C8BC1>")
        for text in ["公证书 No. 1", "(2026)浙温证字第000123号", "😀 outside the BMP", "plain"] {
            var parser = PDFParser(Array(pdfTextString(text).utf8), at: 0)
            guard case .string(let bytes) = try? parser.value() else {
                Issue.record("\(text) did not parse back")
                continue
            }
            #expect(decodeTextString(bytes) == text)
        }
    }

    @Test func datesAreUTC() {
        #expect(pdfDate(utc(2026, 6, 1, 12)) == "D:20260601120000Z")
    }

    @Test func parsesCairoStyleDictionariesWithCommentsAndReferences() throws {
        let text = "2 0 obj\n<< /Type /Page % 1\n   /Parent 1 0 R\n   /MediaBox [ 0 0 595.27 842 ]\n   /Group << /S /Transparency /I true >>\n   /N#20ame (a\\)b\\051\\n)\n>>\nendobj\n"
        var parser = PDFParser(Array(text.utf8), at: 0)
        let (reference, value) = try parser.indirectObject()
        #expect(reference == PDFReference(number: 2, generation: 0))
        guard case .dictionary(let page) = value else {
            Issue.record("not a dictionary: \(value)")
            return
        }
        #expect(page["Type"] == .name("Page"))
        #expect(page["Parent"] == .reference(PDFReference(number: 1, generation: 0)))
        #expect(page["MediaBox"] == .array([.integer(0), .integer(0), .real(595.27), .integer(842)]))
        #expect(page["N ame"] == .string(Array("a)b)\n".utf8)))
        let group = try #require(page.entry("Group"))
        #expect(String(decoding: Array(text.utf8)[group.valueSource], as: UTF8.self) == "<< /S /Transparency /I true >>")
    }
}
