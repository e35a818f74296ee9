import Foundation

// Adapted from Tests/ZeroErrandPrintTests/ToolSupport.swift (test targets
// cannot import each other).

/// Thrown (failing the test) when a command-line checker is unavailable;
/// names the Debian package so the fix is obvious.
struct MissingTool: Error, CustomStringConvertible {
    let name: String, package: String
    var description: String { "`\(name)` not found in PATH: install the Debian package \(package) (apt-get install \(package))" }
}

struct ToolResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Tools {
    static let packages = [
        "qpdf": "qpdf", "pdftotext": "poppler-utils", "pdfsig": "poppler-utils", "certutil": "libnss3-tools",
    ]

    static func locate(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw MissingTool(name: name, package: packages[name] ?? "?")
    }

    static func run(_ name: String, _ arguments: [String]) throws -> ToolResult {
        let process = Process()
        process.executableURL = try locate(name)
        process.arguments = arguments
        // stderr goes to a file so a chatty tool cannot fill a pipe and
        // deadlock while we are blocked reading stdout.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let err = (try? Data(contentsOf: errURL)) ?? Data()
        return ToolResult(status: process.terminationStatus,
                          stdout: String(decoding: data, as: UTF8.self),
                          stderr: String(decoding: err, as: UTF8.self))
    }
}

/// A fresh directory per test, removed afterwards.
final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zeseal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ bytes: [UInt8], as name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }
}
