import ZeroErrandPrint

/// A QR code drawn into the page as inline SVG (libqrencode through `ZeroErrandPrint`): nothing to
/// fetch, sharp at any size, and its title read out by screen readers.
enum QRImage {
    static func svg(_ text: String, title: String) throws -> String {
        try QRCode(encoding: text).svg(moduleSize: 6, quietZone: 4, title: title)
    }
}
