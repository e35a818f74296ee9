/// Why a PDF could not be sealed. Sealing refuses rather than guesses: a seal
/// on a half-understood file could corrupt a notarial certificate.
public enum SealError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a PDF this package can read (the message says where).
    case malformedPDF(String)
    /// The PDF uses a cross-reference stream (PDF 1.5+) rather than a classic
    /// xref table; appending a classic section to it is not supported.
    case crossReferenceStreamUnsupported
    /// Valid PDF, but a shape the sealer does not handle (e.g. an existing form).
    case unsupported(String)
    /// The CMS signature does not fit the space reserved for /Contents.
    case signatureTooLarge(hexDigits: Int, capacity: Int)
    /// The private key does not belong to the certificate it was paired with.
    case keyDoesNotMatchCertificate
    /// An office certificate would share the root's serial number. CMS names
    /// the signer by issuer and serial, so the root would be taken for the signer.
    case serialNumberInUse

    public var description: String {
        switch self {
        case .malformedPDF(let detail): "malformed PDF: \(detail)"
        case .crossReferenceStreamUnsupported:
            "the PDF uses a cross-reference stream; only classic xref tables can be sealed"
        case .unsupported(let detail): "unsupported PDF: \(detail)"
        case .signatureTooLarge(let needed, let capacity):
            "the signature needs \(needed) hex digits but only \(capacity) are reserved"
        case .keyDoesNotMatchCertificate: "the private key does not match the certificate's public key"
        case .serialNumberInUse: "the serial number is the root's own; serials must be unique per issuer"
        }
    }
}
