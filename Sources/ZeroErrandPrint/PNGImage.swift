import CPangoCairo

/// A PNG decoded by cairo (libpng underneath), checked before it is drawn into a PDF. Used for
/// handwritten signatures drawn in a browser, so the bytes are untrusted: size, dimensions and
/// the presence of ink are checked here, once, for every caller.
public struct PNGImage: Sendable {
    public let width: Int
    public let height: Int
    /// Share of pixels with visible ink (alpha over a quarter and darker than mid-grey), 0...1.
    public let inkRatio: Double
    public let bytes: [UInt8]

    public enum Refusal: Error, Equatable, Sendable {
        case tooLarge, notPNG, badDimensions, blank, filled
    }

    public static let maximumBytes = 400_000
    public static let maximumSide = 2000

    public init(_ bytes: [UInt8]) throws(Refusal) {
        guard bytes.count <= Self.maximumBytes else { throw .tooLarge }
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw .notPNG }
        guard let surface = Self.decode(bytes) else { throw .notPNG }
        defer { cairo_surface_destroy(surface) }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        guard (16...Self.maximumSide).contains(width), (16...Self.maximumSide).contains(height) else { throw .badDimensions }
        inkRatio = Self.ink(surface)
        // A signature needs strokes: an empty canvas is not a signature.
        guard inkRatio >= 0.002 else { throw .blank }
        // Nor is a filled box: handwriting covers a small part of its pad.
        guard inkRatio <= 0.3 else { throw .filled }
        self.bytes = bytes
    }

    /// A new cairo surface (the caller destroys it), or nil when the bytes are not a PNG.
    static func decode(_ bytes: [UInt8]) -> OpaquePointer? {
        let source = ByteSource(bytes)
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(readFromByteSource, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            if let surface { cairo_surface_destroy(surface) }
            return nil
        }
        return surface
    }

    private static func ink(_ surface: OpaquePointer) -> Double {
        cairo_surface_flush(surface)
        let format = cairo_image_surface_get_format(surface)
        guard let data = cairo_image_surface_get_data(surface),
              format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else { return 0 }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        var inked = 0
        for row in 0..<height {
            let line = data.advanced(by: row * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
            for column in 0..<width {
                let pixel = line[column]
                let alpha = format == CAIRO_FORMAT_RGB24 ? 255 : Int(pixel >> 24)
                // Premultiplied: compare the colour against the alpha it is scaled by.
                let luma = (Int((pixel >> 16) & 0xFF) + Int((pixel >> 8) & 0xFF) + Int(pixel & 0xFF)) / 3
                if alpha > 64 && luma * 2 < alpha { inked += 1 }
            }
        }
        return Double(inked) / Double(max(1, width * height))
    }
}

/// Hands cairo's PNG reader the bytes in the pieces it asks for.
final class ByteSource {
    public let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

let readFromByteSource: cairo_read_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
    let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
    let count = Int(length)
    guard source.offset + count <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
    source.bytes.withUnsafeBufferPointer { buffer in
        data.update(from: buffer.baseAddress!.advanced(by: source.offset), count: count)
    }
    source.offset += count
    return CAIRO_STATUS_SUCCESS
}
