import CPangoCairo
import CQRencode
import Foundation

/// A QR code symbol (8-bit byte mode, UTF-8 payload), kept as a plain
/// module matrix so it can be rendered as SVG, PNG or PDF vector.
public struct QRCode: Sendable {
    public enum Correction: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// Modules per side (without quiet zone).
    public let size: Int
    private let modules: [Bool]

    /// libqrencode keeps global Reed-Solomon state that is only protected
    /// when it was built with pthread support; serialise to be safe.
    private static let encoderLock = NSLock()

    public init(encoding text: String, correction: Correction = .medium) throws(PrintError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .qrFailed }
        let result: Result<(Int, [Bool]), PrintError> = Self.encoderLock.withLock {
            guard let symbol = Self.encode(bytes, level: correction.level) else {
                // errno must be read before anything else can clobber it.
                return .failure(errno == ERANGE ? .qrTooLong : .qrFailed)
            }
            defer { QRcode_free(symbol) }
            let width = Int(symbol.pointee.width)
            let data = UnsafeBufferPointer(start: symbol.pointee.data, count: width * width)
            // Only bit 0 means "dark"; the other bits are libqrencode internals.
            return .success((width, data.map { $0 & 1 == 1 }))
        }
        (size, modules) = try result.get()
    }

    /// One 8-bit segment taken verbatim (no mode optimisation, no NUL
    /// truncation). Non-ASCII payloads get an ECI 26 (UTF-8) header first:
    /// without it decoders must guess the charset of byte mode, and zbar, for
    /// one, reads Chinese UTF-8 as Shift-JIS. Pure ASCII skips the header so
    /// URLs stay as small and as widely readable as possible.
    private static func encode(_ bytes: [UInt8], level: QRecLevel) -> UnsafeMutablePointer<QRcode>? {
        guard let input = QRinput_new2(0, level) else { return nil }
        defer { QRinput_free(input) }
        if bytes.contains(where: { $0 >= 0x80 }), QRinput_appendECIheader(input, 26) != 0 { return nil }
        let appended = bytes.withUnsafeBufferPointer {
            QRinput_append(input, QR_MODE_8, Int32($0.count), $0.baseAddress)
        }
        guard appended == 0 else { return nil }
        return QRcode_encodeInput(input)
    }

    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// Horizontal runs of dark modules per row; merging them keeps SVG/PDF
    /// paths small and avoids hairline seams between neighbouring modules.
    func darkRuns() -> [(x: Int, y: Int, length: Int)] {
        var runs: [(x: Int, y: Int, length: Int)] = []
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size, isDark(x: x, y: y) { x += 1 }
                runs.append((start, y, x - start))
            }
        }
        return runs
    }

    /// Inline `<svg>` for HTML pages. The white background is explicit so the
    /// code stays scannable on dark themes.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, title: String) -> String {
        let span = size + 2 * quietZone
        let pixels = span * max(moduleSize, 1)
        var d = ""
        for run in darkRuns() {
            d += "M\(run.x + quietZone) \(run.y + quietZone)h\(run.length)v1h-\(run.length)z"
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" role="img" width="\(pixels)" height="\(pixels)" \
        viewBox="0 0 \(span) \(span)" shape-rendering="crispEdges">\
        <title>\(xmlEscaped(title))</title>\
        <rect width="\(span)" height="\(span)" fill="#fff"/>\
        <path fill="#000" d="\(d)"/></svg>
        """
    }

    /// PNG bytes, drawn pixel-exact into a cairo image surface.
    public func png(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let scale = max(scale, 1), quietZone = max(quietZone, 0)
        let side = Int32((size + 2 * quietZone) * scale)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side) else { return [] }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS,
              let pixels = cairo_image_surface_get_data(surface) else { return [] }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        // Writing pixels directly avoids any anti-aliasing at module edges.
        pixels.withMemoryRebound(to: UInt8.self, capacity: stride * Int(side)) { base in
            for row in 0..<Int(side) {
                let line = UnsafeMutableRawPointer(base + row * stride).assumingMemoryBound(to: UInt32.self)
                let my = row / scale - quietZone
                for col in 0..<Int(side) {
                    let mx = col / scale - quietZone
                    line[col] = isDark(x: mx, y: my) ? 0xFF00_0000 : 0xFFFF_FFFF
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        let sink = ByteSink()
        let status = sink.withContext { cairo_surface_write_to_png_stream(surface, writeToByteSink, $0) }
        return status == CAIRO_STATUS_SUCCESS ? sink.bytes : []
    }
}

func xmlEscaped(_ text: String) -> String {
    var out = ""
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(ch)
        }
    }
    return out
}
