import Foundation
import Testing

/// The real tools that read what the app prints: poppler, qpdf, zbar, rsvg (installed by scripts/test).
enum PDFTools {
    /// Pages as pdfinfo counts them.
    static func pageCount(_ pdf: [UInt8]) throws -> Int? {
        let info = try run("pdfinfo", [write(pdf, "pdf")])
        return info.firstMatch(of: /Pages:\s+(\d+)/).flatMap { Int($0.output.1) }
    }

    /// The QR codes in an inline `<svg>` as a browser would draw it: rendered by rsvg-convert, read by zbarimg.
    static func qrCodes(svg: String) throws -> [String] {
        let image = try write(Array(svg.utf8), "svg")
        // Now and then in a full parallel run on a busy machine zbarimg read nothing from a code it
        // reads every other time (twice in a row once, in CI): more readings, a moment apart, tell a
        // tool's hiccup from a code that does not scan, which reads empty every time.
        for attempt in 0..<5 {
            if attempt > 0 { Thread.sleep(forTimeInterval: 0.5) }
            _ = try run("rsvg-convert", ["--width", "400", "--background-color", "white", "-o", image + ".png", image])
            let codes = try run("zbarimg", ["--raw", "-q", image + ".png"]).split(separator: "\n").map(String.init)
            if !codes.isEmpty { return codes }
        }
        return []
    }

    static func text(_ pdf: [UInt8]) throws -> String {
        try run("pdftotext", ["-layout", write(pdf, "pdf"), "-"])
    }

    static func qpdfCheck(_ pdf: [UInt8]) throws -> Bool {
        try run("qpdf", ["--check", write(pdf, "pdf")]).contains("No syntax or stream encoding errors")
    }

    /// Every QR code on every page, rendered at 200 dpi and read by zbarimg.
    static func qrCodes(_ pdf: [UInt8]) throws -> [String] {
        let file = try write(pdf, "pdf")
        let prefix = file + "-page"
        _ = try run("pdftoppm", ["-png", "-r", "200", file, prefix])
        let directory = (file as NSString).deletingLastPathComponent
        let pages = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { (directory + "/" + $0).hasPrefix(prefix) }.sorted().map { directory + "/" + $0 }
        return try pages.flatMap { try run("zbarimg", ["--raw", "-q", $0]).split(separator: "\n").map(String.init) }
    }

    /// What Poppler's pdfsig says of the signatures in a PDF (integrity and signer; trust is not asked).
    static func pdfsig(_ pdf: [UInt8]) throws -> String {
        try run("pdfsig", [write(pdf, "pdf")])
    }

    /// A PNG drawn from SVG by rsvg-convert: a handwritten signature as a browser canvas would send it.
    static func png(svg: String, width: Int = 600, height: Int = 200) throws -> [UInt8] {
        let image = try write(Array(svg.utf8), "svg")
        _ = try run("rsvg-convert", ["--width", String(width), "--height", String(height), "-o", image + ".png", image])
        return Array(try Data(contentsOf: URL(fileURLWithPath: image + ".png")))
    }

    private static func write(_ bytes: [UInt8], _ suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ze-print-\(UUID().uuidString).\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        // Not read: a pipe nobody drains could fill and stall the tool.
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
