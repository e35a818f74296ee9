import Foundation

/// The kinds of material a citizen may upload. The kind is decided by the file's leading bytes
/// only: the name and the declared content type come from the client and prove nothing.
public enum FileKind: String, Codable, Sendable, CaseIterable {
    case pdf, jpeg, png

    public var mimeType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }

    /// How many leading bytes `sniff` looks at; an upload handler buffers this much before deciding.
    public static let sniffLength = 1024

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
    private static let pdfMarker: [UInt8] = Array("%PDF-".utf8)

    /// PNG and JPEG must start with their signature. PDF readers accept `%PDF-` anywhere in the
    /// first 1024 bytes (ISO 32000 implementation note), so that is what is accepted here too.
    /// Bytes past `sniffLength` are ignored.
    public static func sniff(_ prefix: some Collection<UInt8>) -> FileKind? {
        let head = Array(prefix.prefix(sniffLength))
        if head.starts(with: pngSignature) { return .png }
        if head.starts(with: jpegSignature) { return .jpeg }
        if contains(head, pdfMarker) { return .pdf }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
