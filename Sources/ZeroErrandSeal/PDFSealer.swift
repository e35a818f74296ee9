import Foundation
@_spi(CMS) import X509

/// Seals a finished PDF with an invisible digital signature (ISO 32000-1
/// §12.8, adbe.pkcs7.detached) appended as an incremental update, so the
/// original bytes stay exactly as rendered and any PDF reader can verify it.
public enum PDFSealer {
    /// Hex digits reserved for the DER-encoded CMS signature. Ours is under
    /// 2 KB (two P-256 certificates plus the signer info); 8 KB leaves room
    /// for longer names and chains.
    public static let contentsCapacity = 16_384

    /// Room for `0 a b c` in the /ByteRange array: four integers of up to ten
    /// digits each; the unused tail is filled with spaces.
    static let byteRangeWidth = 44

    /// Returns `pdf` followed by the update that signs it. `chain` holds the
    /// certificates a verifier needs besides the signer's, e.g. the root.
    /// Non-ASCII `reason`, `location` and `name` are written as UTF-16 text.
    public static func seal(
        pdf: [UInt8],
        signer: SealSigner,
        chain: [Certificate],
        signingTime: Date,
        reason: String?,
        location: String?,
        name: String?
    ) throws -> [UInt8] {
        let xref = try PDFCrossReference(pdf)
        guard case .reference(let rootReference) = xref.trailer["Root"] else { throw SealError.malformedPDF("trailer has no /Root") }
        guard case .integer(let size) = xref.trailer["Size"] else { throw SealError.malformedPDF("trailer has no /Size") }
        let catalog = try xref.dictionary(rootReference)
        // A second signature would have to join the existing /Fields; not needed yet.
        guard catalog["AcroForm"] == nil else { throw SealError.unsupported("the PDF already has an interactive form") }
        let pageReference = try firstPage(of: catalog, in: xref)
        let page = try xref.dictionary(pageReference)

        let field = PDFReference(number: size, generation: 0)
        let signature = PDFReference(number: size + 1, generation: 0)

        var writer = UpdateWriter(original: pdf)
        writer.append(rootReference, rewriting: catalog, from: pdf,
                      setting: "AcroForm", to: Array("<< /Fields [\(field)] /SigFlags 3 >>".utf8))
        writer.append(pageReference, rewriting: page, from: pdf,
                      setting: "Annots", to: try annotations(of: page, in: pdf, adding: field))
        // The signature field is merged with its widget annotation; a zero
        // rectangle keeps it invisible, /F 132 (Print | Locked) keeps it fixed.
        writer.append(field, body: "<< /FT /Sig /T (Seal) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P \(pageReference) /V \(signature) >>")

        writer.beginObject(signature)
        writer.write("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ")
        let byteRangeOffset = writer.count
        writer.write("[" + String(repeating: " ", count: byteRangeWidth - 2) + "] /Contents ")
        let contentsStart = writer.count
        writer.write("<" + String(repeating: "0", count: contentsCapacity) + ">")
        let contentsEnd = writer.count
        writer.write(" /M (\(pdfDate(signingTime)))")
        for (key, text) in [("Reason", reason), ("Location", location), ("Name", name)] {
            if let text { writer.write(" /\(key) \(pdfTextString(text))") }
        }
        writer.write(" >>")
        writer.endObject()

        var trailer = Array("/Size \(size + 2) /Root \(rootReference)".utf8)
        // Carried over so readers still find the document information and identity.
        for key in ["Info", "ID"] {
            if let entry = xref.trailer.entry(key) { trailer += Array(" /\(key) ".utf8) + pdf[entry.valueSource] }
        }
        trailer += Array(" /Prev \(xref.startxref)".utf8)
        var file = writer.finish(trailerEntries: trailer)

        // Everything but the /Contents hex string, angle brackets included, is signed.
        let byteRange = Array("[0 \(contentsStart) \(contentsEnd) \(file.count - contentsEnd)".utf8)
        file.replaceSubrange(byteRangeOffset..<byteRangeOffset + byteRange.count, with: byteRange)
        let signedBytes = Array(file[..<contentsStart] + file[contentsEnd...])

        let cms = try CMS.sign(
            signedBytes,
            signatureAlgorithm: .ecdsaWithSHA256,
            additionalIntermediateCertificates: chain,
            certificate: signer.certificate,
            privateKey: Certificate.PrivateKey(signer.privateKey),
            signingTime: signingTime,
            detached: true)
        let hex = Array(cms.map { hexDigits($0, width: 2) }.joined().utf8)
        guard hex.count <= contentsCapacity else {
            throw SealError.signatureTooLarge(hexDigits: hex.count, capacity: contentsCapacity)
        }
        // The remaining zeros are padding after the DER, which readers ignore.
        file.replaceSubrange(contentsStart + 1..<contentsStart + 1 + hex.count, with: hex)
        return file
    }

    /// /Root → /Pages → first /Kids entry, down to the first leaf page.
    private static func firstPage(of catalog: PDFDictionary, in xref: PDFCrossReference) throws(SealError) -> PDFReference {
        guard case .reference(var node) = catalog["Pages"] else { throw .malformedPDF("catalog has no /Pages") }
        // Depth-bounded: a malformed page tree could otherwise loop.
        for _ in 0..<64 {
            let dictionary = try xref.dictionary(node)
            guard case .array(let kids) = dictionary["Kids"] else {
                guard dictionary["Type"] == .name("Page") else { throw .malformedPDF("page tree node \(node) has no /Kids") }
                return node
            }
            guard case .reference(let first) = kids.first else { throw .malformedPDF("page tree node \(node) has no kids") }
            node = first
        }
        throw .malformedPDF("page tree is too deep")
    }

    /// The page's /Annots array, copied verbatim, with the field appended.
    /// Whitespace before the `]` is kept: it may be the newline that ends a comment.
    private static func annotations(of page: PDFDictionary, in pdf: [UInt8], adding field: PDFReference) throws(SealError) -> [UInt8] {
        guard let entry = page.entry("Annots") else { return Array("[\(field)]".utf8) }
        guard case .array = entry.value else { throw .unsupported("the first page's /Annots is not an inline array") }
        return Array(pdf[entry.valueSource].dropLast()) + Array(" \(field)]".utf8)
    }
}
