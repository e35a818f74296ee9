import Fluent
import Foundation
import Vapor
import ZeroErrandPrint

/// A handwritten signature drawn on screen beside a signature made with the second factor (a
/// notarial document, a mediation agreement): checked as a picture, stored encrypted.
enum DrawnSignature {
    /// A drawing sent from the signing page as base64 PNG (optionally a data: URL), checked before
    /// anything is stored.
    static func parse(_ text: String) throws -> PNGImage {
        let base64 = text.hasPrefix("data:image/png;base64,") ? String(text.dropFirst("data:image/png;base64,".count)) : text
        guard base64.count <= PNGImage.maximumBytes * 4 / 3 + 4, let data = Data(base64Encoded: base64) else {
            throw AppError(status: .unprocessableEntity, key: "notarization.drawing.not_png")
        }
        do {
            return try PNGImage(Array(data))
        } catch {
            let key = switch error {
            case .tooLarge: "too_large"
            case .notPNG: "not_png"
            case .badDimensions: "bad_dimensions"
            case .blank: "blank"
            case .filled: "filled"
            }
            throw AppError(status: .unprocessableEntity, key: "notarization.drawing.\(key)")
        }
    }

    /// Stores the drawing (if any), then signs with it; when the signing fails (a wrong code, a
    /// changed text) the stored bytes are removed again, so no drawing is kept without its signature.
    static func signing(with picture: PNGImage?, store: DocumentStore, _ sign: (DocumentStore.Blob?) async throws -> Void) async throws {
        var stored: DocumentStore.Blob?
        if let picture { stored = try await store.storeBytes(picture.bytes) }
        do {
            try await sign(stored)
        } catch {
            if let stored { store.remove(storageName: stored.storageName) }
            throw error
        }
    }

    /// Keeps the stored drawing with the signature it belongs to, in the signing transaction.
    static func keep(_ stored: DocumentStore.Blob, for signature: Signature, now: Date, on db: any Database) async throws {
        let row = SignatureDrawing()
        row.$signature.id = try signature.requireID()
        row.storageName = stored.storageName
        row.wrappedKey = stored.wrappedKey
        row.sha256 = stored.sha256
        row.createdAt = now
        try await row.create(on: db)
    }
}
