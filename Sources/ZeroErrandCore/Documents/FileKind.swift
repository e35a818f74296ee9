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
    public static let sniffLength = 16

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
    private static let pdfMarker: [UInt8] = Array("%PDF-".utf8)

    /// Each kind must start with its signature at byte 0. PDF readers would accept `%PDF-`
    /// anywhere in the first 1024 bytes, which lets a file be a PDF and something else at once (a
    /// polyglot: an HTML page or a ZIP whose tail reads as a PDF); we do not.
    public static func sniff(_ prefix: some Collection<UInt8>) -> FileKind? {
        let head = Array(prefix.prefix(sniffLength))
        if head.starts(with: pngSignature) { return .png }
        if head.starts(with: jpegSignature) { return .jpeg }
        if head.starts(with: pdfMarker) { return .pdf }
        return nil
    }
}
