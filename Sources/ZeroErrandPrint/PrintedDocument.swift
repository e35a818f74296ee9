/// Page size in PDF points (1/72 inch).
public struct PageSize: Sendable, Equatable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public static func millimetres(width: Double, height: Double) -> PageSize {
        PageSize(width: width * pointsPerMillimetre, height: height * pointsPerMillimetre)
    }

    /// Portrait A4, 210 x 297 mm.
    public static let a4 = PageSize.millimetres(width: 210, height: 297)
    /// ISO/IEC 7810 ID-1 (credit card), landscape 85.6 x 54 mm.
    public static let card = PageSize.millimetres(width: 85.6, height: 54)

    static let pointsPerMillimetre = 72.0 / 25.4
}

/// A deliberately small, declarative document model: callers describe
/// content, the renderer owns typography and pagination.
public struct PrintedDocument: Sendable {
    public enum Block: Sendable {
        case title(String)
        case heading(String)
        case paragraph(String)
        /// Two-column label/value rows; both columns wrap.
        case fields([(label: String, value: String)])
        /// Whitespace is preserved; long lines still wrap.
        case monospace(String)
        case qr(QRCode, caption: String?)
        /// Label/value rows on the left, a QR code at their right: a pass card on one small page.
        case fieldsBesideQR([(label: String, value: String)], QRCode)
        /// Who attests (label/value rows) beside the office's round seal, as on a paper certificate.
        case attestation([(label: String, value: String)], seal: String)
        /// A handwritten signature (a checked PNG) after its label, at most 60 mm wide.
        case signature(PNGImage, label: String)
        /// Vertical space in points.
        case spacer(Double)
        case pageBreak
    }

    public var title: String
    public var author: String
    public var pageSize: PageSize
    public var blocks: [Block]

    public init(title: String, author: String = "", pageSize: PageSize = .a4, blocks: [Block] = []) {
        self.title = title
        self.author = author
        self.pageSize = pageSize
        self.blocks = blocks
    }
}
