import Crypto
import Foundation
import Testing
import X509
@testable import ZeroErrandSeal

/// Seals real cairo PDFs and checks them with the tools anyone would use:
/// qpdf, poppler's pdfsig and pdftotext, NSS's certutil, and our verifier.
@Suite struct PDFSealTests {
    @Test func sealedPDFIsValidForPDFToolsAndTheVerifier() async throws {
        let authority = try TestAuthority()
        let office = try authority.office()
        let original = try Sample.pdf()
        let sealed = try Sample.seal(original, by: office, chain: [authority.root])
        #expect(sealed.starts(with: original), "an incremental update never rewrites the original bytes")

        let dir = try TempDir()
        let file = try dir.write(sealed, as: "sealed.pdf")
        let check = try Tools.run("qpdf", ["--check", file.path])
        #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors"), "\(check.stdout)\(check.stderr)")

        let report = try PdfsigReport(file)
        #expect(report.acceptsWholeFile, "\(report.output)")
        #expect(report.field("Signer Certificate Common Name") == TestAuthority.officeName, "\(report.output)")
        #expect(report.field("Signature Type") == "adbe.pkcs7.detached")
        #expect(report.field("Signing Hash Algorithm") == "SHA-256")

        let text = try Tools.run("pdftotext", [file.path, "-"]).stdout
        #expect(text.contains("公证书") && text.contains("兹证明张三"), "\(text)")

        let verdict = await PDFSealVerifier.verify(pdf: sealed, trustRoots: [authority.root])
        #expect(verdict == .valid(signer: office.certificate, signingTime: Sample.sealTime,
                                  reason: Sample.certificateNumber, name: TestAuthority.officeName))
    }

    @Test func anyChangedOrAddedByteIsDetected() async throws {
        let authority = try TestAuthority()
        let original = try Sample.pdf()
        let sealed = try Sample.seal(original, by: try authority.office(), chain: [authority.root])
        let marker = try #require(sealed.lastOccurrence(of: "/ByteRange"))
        let derHexLength = 2 * (try SignedRegion(sealed, byteRangeAt: marker).signature.count)
        let contentsHex = try #require(sealed.lastOccurrence(of: "/Contents <")) + "/Contents <".utf8.count

        let positions: [(String, Int)] = [
            ("original header", 7),
            ("original content", original.count / 2),
            ("original trailer", original.count - 10),
            ("new catalog", try #require(sealed.lastOccurrence(of: "/SigFlags 3")) + 10),
            ("signature field", try #require(sealed.lastOccurrence(of: "/F 132")) + 4),
            ("/Reason text", try #require(sealed.lastOccurrence(of: "/Reason <")) + 15),
            ("/ByteRange", marker + 14),
            ("new trailer", try #require(sealed.lastOccurrence(of: "/Prev ")) + 7),
            ("signature value in /Contents", contentsHex + derHexLength - 10),
            // Covered by neither the byte range nor the CMS structure; both
            // pdfsig and our verifier insist that the padding stays zeros.
            ("padding after the signature in /Contents", contentsHex + derHexLength + 100),
        ]
        var cases: [(place: String, pdf: [UInt8])] = positions.map { place, position in
            var tampered = sealed
            tampered[position] = changed(tampered[position])
            return (place, tampered)
        }
        cases.append(("a byte appended at the end", sealed + [0x0A]))

        let dir = try TempDir()
        for (place, pdf) in cases {
            let verdict = await PDFSealVerifier.verify(pdf: pdf, trustRoots: [authority.root])
            #expect(verdict.isAltered, "change in \(place) not detected: \(verdict)")
            let report = try PdfsigReport(try dir.write(pdf, as: "tampered.pdf"))
            #expect(!report.acceptsWholeFile, "pdfsig accepts a change in \(place): \(report.output)")
        }
    }

    /// The verifier reads files from anyone: cut-off, padded or hostile
    /// bytes must give a verdict, never a crash and never `.valid`.
    @Test func damagedFilesGetAVerdictNotACrash() async throws {
        let authority = try TestAuthority()
        let sealed = try Sample.seal(try Sample.pdf(), by: try authority.office(), chain: [authority.root])
        var inputs = stride(from: 0, to: sealed.count, by: 997).map { Array(sealed[..<$0]) }
        let marker = try #require(sealed.lastOccurrence(of: "/ByteRange"))
        let head = Array(sealed[..<marker]) + Array("/ByteRange ".utf8)
        // A gap ending past the file whose last range is negative, so that the
        // two still add up to the file's length.
        let beyond = head + Array("[0 5 100000000000 -".utf8)
        inputs.append(beyond + Array("\(100_000_000_000 - beyond.count - 12)]".utf8))
        inputs.append(head + Array("[0 5 9223372036854775807 9223372036854775807]".utf8))
        inputs.append(head + Array(repeating: UInt8(ascii: "["), count: 100_000))
        for input in inputs {
            if case .valid = await PDFSealVerifier.verify(pdf: input, trustRoots: [authority.root]) {
                Issue.record("a damaged file of \(input.count) bytes verified as valid")
            }
        }
    }

    /// Hex digits stay hex digits, so a change alters meaning, not syntax.
    private func changed(_ byte: UInt8) -> UInt8 {
        if hexDigitValue(byte) != nil { return byte == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0") }
        return byte ^ 0x01
    }

    @Test func aForgedOfficeWithTheSameNamesIsUntrusted() async throws {
        let authority = try TestAuthority()
        let forger = try TestAuthority()  // same names and serials, different keys
        let forgedOffice = try forger.office()
        let sealed = try Sample.seal(try Sample.pdf(), by: forgedOffice, chain: [forger.root])
        #expect(await PDFSealVerifier.verify(pdf: sealed, trustRoots: [authority.root]) == .untrusted(signer: forgedOffice.certificate))
        // The forger's own root would of course vouch for it.
        guard case .valid = await PDFSealVerifier.verify(pdf: sealed, trustRoots: [forger.root]) else {
            Issue.record("a seal is valid under its own root")
            return
        }
    }

    @Test func sealsOutliveKeyRotationButNotAnExpiredCertificate() async throws {
        let authority = try TestAuthority()
        let retired = try authority.office(serial: 101, from: utc(2020, 1, 1), until: utc(2021, 1, 1))
        let current = try authority.office(serial: 102, from: utc(2021, 1, 1), until: utc(2031, 1, 1))
        #expect(retired.certificate.notValidAfter < Date(), "the first certificate must have ended before now")
        let pdf = try Sample.pdf(createdAt: utc(2020, 6, 1))

        let early = try Sample.seal(pdf, by: retired, chain: [authority.root], at: utc(2020, 6, 1, 9))
        #expect(await PDFSealVerifier.verify(pdf: early, trustRoots: [authority.root])
                == .valid(signer: retired.certificate, signingTime: utc(2020, 6, 1, 9),
                          reason: Sample.certificateNumber, name: TestAuthority.officeName))

        let late = try Sample.seal(pdf, by: current, chain: [authority.root], at: utc(2026, 6, 1))
        guard case .valid(let signer, _, _, _) = await PDFSealVerifier.verify(pdf: late, trustRoots: [authority.root]) else {
            Issue.record("the rotated key's seal does not verify")
            return
        }
        #expect(signer == current.certificate)

        // Using the retired key after its certificate ended is refused.
        let stale = try Sample.seal(pdf, by: retired, chain: [authority.root], at: utc(2022, 1, 1))
        #expect(await PDFSealVerifier.verify(pdf: stale, trustRoots: [authority.root]) == .untrusted(signer: retired.certificate))
    }

    @Test func pdfsigTrustsTheSealOnceTheRootIsInItsDatabase() throws {
        let authority = try TestAuthority()
        let forger = try TestAuthority()
        let pdf = try Sample.pdf()
        let dir = try TempDir()
        let nss = dir.url.appendingPathComponent("nssdb")
        try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
        let rootFile = try dir.write(Array(authority.root.serializeAsPEM().pemString.utf8), as: "root.pem")
        // Trust flags are SSL,S/MIME,code-signing: pdfsig checks signers for the
        // e-mail (S/MIME) usage, so "C,," alone leaves the issuer untrusted.
        for arguments in [["-N", "--empty-password"], ["-A", "-n", "ZeroErrand Root CA", "-t", "C,C,", "-i", rootFile.path]] {
            let result = try Tools.run("certutil", arguments + ["-d", "sql:\(nss.path)"])
            #expect(result.status == 0, "certutil \(arguments): \(result.stdout)\(result.stderr)")
        }

        let genuine = try dir.write(try Sample.seal(pdf, by: try authority.office(), chain: [authority.root]), as: "genuine.pdf")
        let trusted = try PdfsigReport(genuine, nssDirectory: nss)
        #expect(trusted.acceptsWholeFile && trusted.field("Certificate Validation") == "Certificate is Trusted.", "\(trusted.output)")

        let forged = try dir.write(try Sample.seal(pdf, by: try forger.office(), chain: [forger.root]), as: "forged.pdf")
        let untrusted = try PdfsigReport(forged, nssDirectory: nss)
        #expect(untrusted.field("Certificate Validation") != "Certificate is Trusted.", "\(untrusted.output)")
    }

    /// What cairo never writes but other producers do: a page that already
    /// has annotations, and entries that hold bytes which are not UTF-8.
    @Test func existingAnnotationsAndBinaryStringsSurviveSealing() async throws {
        let binary: [UInt8] = [0x28, 0xE9, 0xFF, 0x80, 0x29]  // the literal string (\xE9\xFF\x80)
        let objects: [[UInt8]] = [
            Array("1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Lang ".utf8) + binary + Array(" >>\nendobj\n".utf8),
            Array("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n".utf8),
            Array("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [ 4 0 R ] >>\nendobj\n".utf8),
            Array("4 0 obj\n<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Border [0 0 0] >>\nendobj\n".utf8),
        ]
        var pdf = Array("%PDF-1.4\n".utf8)
        var xref = "xref\n0 5\n0000000000 65535 f \n"
        for object in objects {
            xref += String(format: "%010d 00000 n \n", pdf.count)
            pdf += object
        }
        let xrefOffset = pdf.count
        pdf += Array((xref + "trailer\n<< /Size 5 /Root 1 0 R /ID [").utf8) + binary + binary
            + Array("] >>\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8)

        let authority = try TestAuthority()
        let office = try authority.office()
        let sealed = try Sample.seal(pdf, by: office, chain: [authority.root])
        let update = Array(sealed[pdf.count...])
        #expect(update.lastOccurrence(of: "/Annots [ 4 0 R  5 0 R]") != nil)
        #expect(update.count(where: { $0 == 0xE9 }) == 3, "the catalog's /Lang and both /ID strings, byte for byte")

        let dir = try TempDir()
        let file = try dir.write(sealed, as: "annotated.pdf")
        let check = try Tools.run("qpdf", ["--check", file.path])
        #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors"), "\(check.stdout)\(check.stderr)")
        let report = try PdfsigReport(file)
        #expect(report.acceptsWholeFile, "\(report.output)")
        guard case .valid = await PDFSealVerifier.verify(pdf: sealed, trustRoots: [authority.root]) else {
            Issue.record("the hand-written PDF's seal does not verify")
            return
        }
    }

    @Test func anUnsealedPDFIsUnsigned() async throws {
        let authority = try TestAuthority()
        #expect(await PDFSealVerifier.verify(pdf: try Sample.pdf(), trustRoots: [authority.root]) == .unsigned)
    }

    @Test func sealingRefusesWhatItCannotDoSafely() throws {
        let authority = try TestAuthority()
        let office = try authority.office()
        let sealed = try Sample.seal(try Sample.pdf(), by: office, chain: [authority.root])
        #expect(throws: SealError.unsupported("the PDF already has an interactive form")) {
            try Sample.seal(sealed, by: office, chain: [authority.root])
        }
        #expect(throws: SealError.self) {
            try Sample.seal(Array("not a pdf".utf8), by: office, chain: [authority.root])
        }
        // Enough certificates to overflow the reserved /Contents.
        #expect {
            try Sample.seal(try Sample.pdf(), by: office, chain: Array(repeating: authority.root, count: 40))
        } throws: { error in
            guard case SealError.signatureTooLarge(let needed, let capacity) = error else { return false }
            return needed > capacity && capacity == PDFSealer.contentsCapacity
        }
    }

    @Test func crossReferenceStreamsAreRefused() throws {
        let authority = try TestAuthority()
        // The tail of a PDF 1.5 file whose last section is an xref stream.
        let pdf = Array("%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 2 /W [1 1 1] /Root 2 0 R /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n".utf8)
        #expect(throws: SealError.crossReferenceStreamUnsupported) {
            try Sample.seal(pdf, by: try authority.office(), chain: [authority.root])
        }
    }
}
