import Foundation
import Testing
@testable import ZeroErrandPrint

@Suite struct QRCodeTests {
    static let payloads = [
        "https://example.test/mandates/pass/ABCD-EFGH-JKLM",
        "授权委托书 ZE-2026-000001",
    ]

    @Test(arguments: payloads)
    func pngDecodesBackToTheExactText(_ text: String) throws {
        let code = try QRCode(encoding: text)
        let png = code.png()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let dir = try TempDir()
        let file = try dir.write(png, as: "qr.png")
        let result = try Tools.run("zbarimg", ["--raw", "-q", file.path])
        #expect(result.status == 0, "zbarimg failed: \(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .newlines) == text)
    }

    @Test func matrixHasFinderPatterns() throws {
        let code = try QRCode(encoding: "hello", correction: .high)
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0)
        // Finder pattern corners are dark, the separator just outside is light.
        for (x, y) in [(0, 0), (code.size - 1, 0), (0, code.size - 1)] {
            #expect(code.isDark(x: x, y: y))
        }
        #expect(!code.isDark(x: 7, y: 0))
        #expect(!code.isDark(x: -1, y: 0) && !code.isDark(x: code.size, y: 0))
    }

    @Test func svgIsAccessibleAndEscaped() throws {
        let svg = try QRCode(encoding: "x").svg(title: "Pass <A&B>")
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("<title>Pass &lt;A&amp;B&gt;</title>"))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
    }

    @Test func tooLongPayloadIsReported() {
        let huge = String(repeating: "x", count: 5000)
        #expect(throws: PrintError.qrTooLong) { try QRCode(encoding: huge) }
        #expect(throws: PrintError.qrFailed) { try QRCode(encoding: "") }
    }
}
