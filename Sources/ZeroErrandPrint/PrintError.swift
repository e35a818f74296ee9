public enum PrintError: Error, Sendable, Equatable {
    /// The payload does not fit into the largest QR version at the requested correction level.
    case qrTooLong
    case qrFailed
    case pdfFailed(String)
}
