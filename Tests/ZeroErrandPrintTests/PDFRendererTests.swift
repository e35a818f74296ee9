import Foundation
import Testing
@testable import ZeroErrandPrint

@Suite struct PDFRendererTests {
    static let qrText = "https://example.test/mandates/pass/ABCD-EFGH-JKLM"
    static let date = Date(timeIntervalSince1970: 1_767_323_045)  // 2026-01-02T03:04:05Z

    static func mandate(pageSize: PageSize = .a4) throws -> PrintedDocument {
        let clause = "The principal authorises the agent to collect parcels and sign receipts on their behalf. "
            + "委托人授权受托人代为领取包裹并签收。"
        return PrintedDocument(
            title: "授权委托书", author: "ZeroErrand", pageSize: pageSize,
            blocks: [
                .title("授权委托书"),
                .heading("Power of attorney"),
                .fields([
                    (label: "委托人", value: "张三 (Zhang San)"),
                    (label: "受托人", value: "李四 (Li Si)"),
                    (label: "Reference", value: "ZE-2026-000001"),
                ]),
                .paragraph(String(repeating: clause, count: 40)),
                .monospace("ID    ZE-2026-000001\nCODE  ABCD-EFGH-JKLM"),
                .qr(try QRCode(encoding: qrText), caption: "扫码核验 / Scan to verify"),
            ])
    }

    static func qpdfCheck(_ file: URL) throws {
        let result = try Tools.run("qpdf", ["--check", file.path])
        #expect(result.status == 0, "qpdf --check failed: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("No syntax or stream encoding errors"))
    }

    @Test func mandatePDFIsValidSearchableAndScannable() throws {
        let pdf = try PDFRenderer.render(Self.mandate(), creationDate: Self.date)
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let dir = try TempDir()
        let file = try dir.write(pdf, as: "mandate.pdf")
        try Self.qpdfCheck(file)

        let text = try Tools.run("pdftotext", ["-layout", file.path, "-"])
        #expect(text.status == 0, "\(text.stderr)")
        for needle in ["授权委托书", "张三", "李四", "Power of attorney", "ZE-2026-000001"] {
            #expect(text.stdout.contains(needle), "pdftotext output lacks \(needle)")
        }

        let info = try Tools.run("pdfinfo", [file.path])
        #expect(info.status == 0)
        let pages = Int(pdfinfoField(info.stdout, "Pages") ?? "") ?? 0
        #expect(pages >= 2, "expected the long paragraph to spill over: \(info.stdout)")
        #expect(pdfinfoField(info.stdout, "Title") == "授权委托书")
        #expect(pdfinfoField(info.stdout, "Author") == "ZeroErrand")

        // Rasterise every page and require the QR to decode from one of them.
        let raster = try Tools.run("pdftoppm", ["-png", "-r", "200", file.path, dir.url.appendingPathComponent("page").path])
        #expect(raster.status == 0, "\(raster.stderr)")
        let images = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
            .filter { $0.hasPrefix("page") && $0.hasSuffix(".png") }.sorted()
        #expect(images.count == pages)
        var decoded: [String] = []
        for image in images {
            let scan = try Tools.run("zbarimg", ["--raw", "-q", dir.url.appendingPathComponent(image).path])
            if scan.status == 0 { decoded.append(scan.stdout.trimmingCharacters(in: .newlines)) }
        }
        #expect(decoded == [Self.qrText])
    }

    @Test func cardPageSize() throws {
        let doc = PrintedDocument(
            title: "通行证 Pass", author: "ZeroErrand", pageSize: .card,
            blocks: [
                .heading("通行证 Pass"),
                .fields([(label: "受托人", value: "李四"), (label: "No.", value: "ZE-2026-000001")]),
                .qr(try QRCode(encoding: Self.qrText), caption: nil),
            ])
        let pdf = try PDFRenderer.render(doc, creationDate: Self.date)
        let dir = try TempDir()
        let file = try dir.write(pdf, as: "card.pdf")
        try Self.qpdfCheck(file)
        let info = try Tools.run("pdfinfo", [file.path])
        let size = pdfinfoField(info.stdout, "Page size") ?? ""
        let numbers = size.split(separator: " ").compactMap { Double($0) }
        #expect(numbers.count == 2, "unexpected page size line: \(size)")
        if numbers.count == 2 {
            #expect(abs(numbers[0] - 242.65) < 0.5 && abs(numbers[1] - 153.07) < 0.5, "\(size)")
        }
        #expect(pdfinfoField(info.stdout, "Pages") == "1")
    }

    /// A pass card: rows beside their QR code stay one card on one page, with no "1 / 1" footer,
    /// and the code scans from the rendered page.
    @Test func cardWithFieldsBesideQRIsOnePage() throws {
        let doc = PrintedDocument(
            title: "委托凭证 / Mandate pass", author: "ZeroErrand", pageSize: .card,
            blocks: [
                .heading("委托凭证 / Mandate pass"),
                .fieldsBesideQR([
                    (label: "受托人 Agent", value: "李四 330302********1234"),
                    (label: "委托人 Principal", value: "Yang Hui"),
                    (label: "有效期 Valid", value: "2026-12-01 – 2027-03-01 北京时间 / China time"),
                    (label: "凭证码 Code", value: "ABCD-EFGH-JKMN"),
                ], try QRCode(encoding: Self.qrText)),
            ])
        let dir = try TempDir()
        let file = try dir.write(try PDFRenderer.render(doc, creationDate: Self.date), as: "pass.pdf")
        try Self.qpdfCheck(file)
        #expect(pdfinfoField(try Tools.run("pdfinfo", [file.path]).stdout, "Pages") == "1")
        let text = try Tools.run("pdftotext", ["-layout", file.path, "-"]).stdout.filter { !$0.isWhitespace }
        #expect(text.contains("ABCD-EFGH-JKMN") && text.contains("Chinatime") && !text.contains("1/1"), "\(text)")
        _ = try Tools.run("pdftoppm", ["-png", "-r", "200", file.path, dir.url.appendingPathComponent("card").path])
        let image = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).first { $0.hasPrefix("card") && $0.hasSuffix(".png") })
        let scan = try Tools.run("zbarimg", ["--raw", "-q", dir.url.appendingPathComponent(image).path])
        #expect(scan.stdout.trimmingCharacters(in: .newlines) == Self.qrText)
    }

    @Test func outputIsDeterministicForAGivenDate() throws {
        let first = try PDFRenderer.render(Self.mandate(), creationDate: Self.date)
        let second = try PDFRenderer.render(Self.mandate(), creationDate: Self.date)
        #expect(first == second)
        let raw = String(decoding: first, as: UTF8.self)
        // cairo 1.16 writes "(20260102030405Z)", later versions "(D:2026…)".
        #expect(raw.contains("/CreationDate (") && raw.contains("20260102030405Z"))
    }

    @Test func emptyDocumentStillHasOnePage() throws {
        let pdf = try PDFRenderer.render(PrintedDocument(title: "Empty"), creationDate: Self.date)
        let dir = try TempDir()
        let file = try dir.write(pdf, as: "empty.pdf")
        try Self.qpdfCheck(file)
        let info = try Tools.run("pdfinfo", [file.path])
        #expect(pdfinfoField(info.stdout, "Pages") == "1")
    }

    @Test func pageBreakAndFooterNumbers() throws {
        let doc = PrintedDocument(title: "Breaks", blocks: [
            .paragraph("one"), .pageBreak, .pageBreak, .paragraph("two"), .spacer(5000), .paragraph("three"),
        ])
        let dir = try TempDir()
        let file = try dir.write(try PDFRenderer.render(doc, creationDate: Self.date), as: "breaks.pdf")
        let text = try Tools.run("pdftotext", ["-layout", file.path, "-"]).stdout
        // pdftotext drops the thin spaces around "/", so compare without blanks.
        let compact = text.filter { !$0.isWhitespace }
        // Repeated page breaks collapse; a huge spacer just ends the page.
        #expect(compact.contains("1/3") && compact.contains("3/3") && !compact.contains("/4"), "\(text)")
    }

    @Test func rendersConcurrently() async throws {
        let docs = try (0..<8).map { i -> PrintedDocument in
            var doc = try Self.mandate(pageSize: i.isMultiple(of: 2) ? .a4 : .card)
            doc.title += " #\(i)"
            return doc
        }
        let pdfs = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (i, doc) in docs.enumerated() {
                group.addTask { (i, try PDFRenderer.render(doc, creationDate: Self.date)) }
            }
            return try await group.reduce(into: [Int: [UInt8]]()) { $0[$1.0] = $1.1 }
        }
        #expect(pdfs.count == 8)
        let dir = try TempDir()
        for (i, pdf) in pdfs.sorted(by: { $0.key < $1.key }) {
            try Self.qpdfCheck(try dir.write(pdf, as: "concurrent-\(i).pdf"))
        }
    }
}
