import Foundation
@_spi(CMS) @_spi(FixedExpiryValidationTime) import X509

/// What a verifier can say about a sealed PDF.
public enum SealVerification: Sendable, Equatable {
    /// Every byte of the file is covered by an intact signature whose signer
    /// chains to a trusted root, checked as of `signingTime`. `reason` and
    /// `name` are the signature dictionary's /Reason and /Name.
    case valid(signer: Certificate, signingTime: Date, reason: String?, name: String?)
    /// The file was changed after sealing, the signature is damaged, or the
    /// signed byte range does not cover the whole file; `detail` says which.
    case altered(detail: String)
    /// The signature is intact but its certificate does not lead to the trust roots.
    case untrusted(signer: Certificate)
    /// The file bears no signature at all.
    case unsigned
}

public enum PDFSealVerifier {
    /// Checks the last signature in `pdf` against `trustRoots`.
    public static func verify(pdf: [UInt8], trustRoots: [Certificate]) async -> SealVerification {
        // The last /ByteRange belongs to the newest signature: anything a
        // later update adds comes after it, and then it no longer covers the file.
        guard let marker = pdf.lastOccurrence(of: "/ByteRange") else {
            // A damaged keyword must not pass a sealed file off as never sealed.
            let traces = ["/SubFilter", "/adbe.pkcs7", "/SigFlags", "/FT /Sig"]
            return traces.contains { pdf.lastOccurrence(of: $0) != nil } ? .altered(detail: "signature dictionary is damaged") : .unsigned
        }
        let signed: SignedRegion
        do {
            signed = try SignedRegion(pdf, byteRangeAt: marker)
        } catch {
            return .altered(detail: error.description)
        }

        // Validate the chain as of the signing time the signer put in the
        // signed attributes, so seals outlive their office certificate.
        let signingTime: Date
        do {
            guard let time = try CMSSignature(derEncoded: signed.signature).signers.first?.signingTime else {
                return .altered(detail: "the signature carries no signing time")
            }
            signingTime = time
        } catch {
            return .altered(detail: "the signature is not a CMS SignedData: \(error)")
        }
        let result = await CMS.isValidSignature(
            dataBytes: signed.data,
            signatureBytes: signed.signature,
            trustRoots: CertificateStore(trustRoots)
        ) {
            RFC5280Policy(fixedExpiryValidationTime: signingTime)
        }
        switch result {
        case .success(let valid):
            // The whole file but the signature is now known to come from the
            // signer, so the signature dictionary can be read and believed.
            guard let dictionary = try? signatureDictionary(pdf, containing: marker) else {
                return .altered(detail: "the signature dictionary cannot be read")
            }
            return .valid(signer: valid.signer, signingTime: signingTime,
                          reason: text(dictionary["Reason"]), name: text(dictionary["Name"]))
        case .failure(.unableToValidateSigner(let failure)):
            return .untrusted(signer: failure.signer)
        case .failure(.invalidCMSBlock(let invalid)):
            return .altered(detail: invalid.reason)
        }
    }

    private static func signatureDictionary(_ pdf: [UInt8], containing position: Int) throws(SealError) -> PDFDictionary {
        let xref = try PDFCrossReference(pdf)
        guard let reference = xref.object(containing: position) else { throw .malformedPDF("no object holds the signature") }
        let dictionary = try xref.dictionary(reference)
        var parser = PDFParser(pdf, at: position + "/ByteRange".utf8.count)
        parser.skipWhitespaceAndComments()
        guard dictionary.entry("ByteRange")?.valueSource.lowerBound == parser.position else {
            throw .malformedPDF("object \(reference) is not the signature dictionary")
        }
        return dictionary
    }

    private static func text(_ value: PDFValue?) -> String? {
        guard case .string(let bytes) = value else { return nil }
        return decodeTextString(bytes)
    }
}

/// The bytes a signature covers and the signature itself, once the
/// /ByteRange has been checked to cover the whole file except exactly its
/// /Contents hex string.
struct SignedRegion {
    let data: [UInt8]
    /// The DER of the CMS SignedData, without the zero padding that follows it.
    let signature: [UInt8]

    init(_ pdf: [UInt8], byteRangeAt marker: Int) throws(SealError) {
        var parser = PDFParser(pdf, at: marker + "/ByteRange".utf8.count)
        guard case .array(let items) = try parser.value(), items.count == 4 else {
            throw .malformedPDF("/ByteRange is not an array of four integers")
        }
        var numbers: [Int] = []
        for case .integer(let number) in items { numbers.append(number) }
        guard numbers.count == 4 else { throw .malformedPDF("/ByteRange is not an array of four integers") }
        let (gapStart, gapEnd) = (numbers[1], numbers[2])
        // Compared without adding: the numbers come from the file and may be hostile.
        guard numbers[0] == 0, gapStart > 0, gapStart < gapEnd, gapEnd <= pdf.count, numbers[3] == pdf.count - gapEnd else {
            throw .malformedPDF("/ByteRange \(numbers) does not cover the whole file of \(pdf.count) bytes")
        }
        guard pdf[gapStart] == UInt8(ascii: "<"), pdf[gapEnd - 1] == UInt8(ascii: ">"),
              Self.endsWithContentsKey(pdf[..<gapStart]) else {
            throw .malformedPDF("/ByteRange leaves out something other than the /Contents hex string")
        }
        var contents = PDFParser(pdf, at: gapStart)
        guard case .string(let padded) = try contents.value(), contents.position == gapEnd else {
            throw .malformedPDF("/Contents is not a single hex string")
        }
        data = Array(pdf[..<gapStart] + pdf[gapEnd...])
        signature = try Self.derPrefix(padded)
    }

    private static func endsWithContentsKey(_ prefix: ArraySlice<UInt8>) -> Bool {
        let trimmed = prefix.reversed().drop { PDFParser.isWhitespace($0) }
        return trimmed.starts(with: "/Contents".utf8.reversed())
    }

    /// The leading DER element (tag, length, content) of a zero-padded buffer.
    private static func derPrefix(_ bytes: [UInt8]) throws(SealError) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x30 else { throw .malformedPDF("/Contents does not start with a DER SEQUENCE") }
        var length = Int(bytes[1]), header = 2
        if length & 0x80 != 0 {
            let octets = length & 0x7F
            guard (1...4).contains(octets), bytes.count >= 2 + octets else { throw .malformedPDF("bad DER length in /Contents") }
            length = bytes[2..<2 + octets].reduce(0) { $0 << 8 | Int($1) }
            header += octets
        }
        guard header + length <= bytes.count else { throw .malformedPDF("DER in /Contents is truncated") }
        // Neither the byte range nor the CMS covers the padding, so insist it
        // is the zeros the sealer wrote: then no byte of the file can change.
        guard bytes[(header + length)...].allSatisfy({ $0 == 0 }) else {
            throw .malformedPDF("/Contents holds data after the signature")
        }
        return Array(bytes[..<(header + length)])
    }
}
