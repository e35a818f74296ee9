import Foundation
import Testing

/// The real tools that read what the app prints: poppler, qpdf, zbar (installed by scripts/test).
enum PDFTools {
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
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
