import CPNG
import CTurboJPEG

/// A photo's pixels as libjpeg-turbo or libpng decode them: 8-bit RGB, row by row from the top.
/// Both libraries are driven through their error-code interfaces (TurboJPEG's `tj*` functions and
/// libpng's simplified `png_image` API), which report a damaged file instead of jumping out of it.
public struct DecodedImage: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        case jpeg, png
    }

    public let format: Format
    public let width: Int
    public let height: Int
    /// Whether the file itself holds colour (a greyscale JPEG or PNG is `false`, though it decodes to RGB).
    public let storedInColour: Bool
    /// `width * height * 3` bytes.
    public let rgb: [UInt8]

    public enum DecodeError: Error, Sendable, Equatable {
        /// Neither JPEG nor PNG by its first bytes, whatever its name says.
        case notAnImage
        /// The file says it is one but cannot be read (cut short, damaged); the library's words.
        case unreadable(String)
        /// More pixels than any photo needs; refused before memory is taken for them.
        case tooLarge(width: Int, height: Int)
    }

    /// Guards memory: a 12-megapixel phone photo fits, a decompression bomb does not.
    public static let maxPixels = 40_000_000

    /// What the bytes are, from their signature alone.
    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 8, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        return nil
    }

    /// Decodes the pixels, unless the header announces more than `maxPixels` (checked before any
    /// memory is taken for them: a small file can announce a huge picture).
    public static func decode(_ bytes: [UInt8], maxPixels: Int = maxPixels) throws(DecodeError) -> DecodedImage {
        let size = try header(bytes)
        guard size.width * size.height <= maxPixels else { throw .tooLarge(width: size.width, height: size.height) }
        switch size.format {
        case .jpeg: return try decodeJPEG(bytes)
        case .png: return try decodePNG(bytes)
        }
    }

    /// The format and the size the file announces, read from its header alone.
    public static func header(_ bytes: [UInt8]) throws(DecodeError) -> (format: Format, width: Int, height: Int) {
        switch format(of: bytes) {
        case .jpeg?:
            guard let handle = tjInitDecompress() else { throw .unreadable("TurboJPEG could not start") }
            defer { tjDestroy(handle) }
            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
            let read = bytes.withUnsafeBufferPointer { buffer in
                tjDecompressHeader3(handle, buffer.baseAddress, UInt(buffer.count), &width, &height, &subsampling, &colourspace)
            }
            guard read == 0 else { throw .unreadable(String(cString: tjGetErrorStr2(handle))) }
            return (.jpeg, Int(width), Int(height))
        case .png?:
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            let begun = bytes.withUnsafeBufferPointer { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
            defer { png_image_free(&image) }
            guard begun != 0 else { throw .unreadable(message(of: image)) }
            return (.png, Int(image.width), Int(image.height))
        case nil:
            throw .notAnImage
        }
    }

    private static func decodeJPEG(_ bytes: [UInt8]) throws(DecodeError) -> DecodedImage {
        guard let handle = tjInitDecompress() else { throw .unreadable("TurboJPEG could not start") }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        let header = bytes.withUnsafeBufferPointer { buffer in
            tjDecompressHeader3(handle, buffer.baseAddress, UInt(buffer.count), &width, &height, &subsampling, &colourspace)
        }
        guard header == 0 else { throw .unreadable(String(cString: tjGetErrorStr2(handle))) }
        guard width > 0, height > 0 else { throw .unreadable("no pixels") }
        guard Int(width) * Int(height) <= maxPixels else { throw .tooLarge(width: Int(width), height: Int(height)) }
        var rgb = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
        let result = bytes.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                tjDecompress2(handle, source.baseAddress, UInt(source.count), target.baseAddress, width, 0, height,
                              Int32(TJPF_RGB.rawValue), Int32(TJFLAG_ACCURATEDCT))
            }
        }
        // Even a "warning" means pixels were made up (a file cut short is filled with grey): the
        // photo the office would print is not the one taken.
        guard result == 0 else { throw .unreadable(String(cString: tjGetErrorStr2(handle))) }
        return DecodedImage(format: .jpeg, width: Int(width), height: Int(height),
                            storedInColour: colourspace != Int32(TJCS_GRAY.rawValue), rgb: rgb)
    }

    private static func decodePNG(_ bytes: [UInt8]) throws(DecodeError) -> DecodedImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBufferPointer { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        defer { png_image_free(&image) }
        guard begun != 0 else { throw .unreadable(message(of: image)) }
        let (width, height) = (Int(image.width), Int(image.height))
        guard width > 0, height > 0 else { throw .unreadable("no pixels") }
        guard width * height <= maxPixels else { throw .tooLarge(width: width, height: height) }
        let storedInColour = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        image.format = UInt32(PNG_FORMAT_RGB)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        // Transparent parts are laid on white, as a photo printer would.
        var background = png_color(red: 255, green: 255, blue: 255)
        let finished = rgb.withUnsafeMutableBufferPointer { target in
            png_image_finish_read(&image, &background, target.baseAddress, Int32(width * 3), nil)
        }
        guard finished != 0 else { throw .unreadable(message(of: image)) }
        return DecodedImage(format: .png, width: width, height: height, storedInColour: storedInColour, rgb: rgb)
    }

    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
