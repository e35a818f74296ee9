import Foundation
import X509
import ZeroErrandSeal

/// `zeroerrand verify FILE.pdf`: the seal alone, checked on this machine. It needs no register and
/// no network, so it can say whether the file is the one an office sealed, never whether the office
/// has revoked it since; the report says so.
enum OfflineCertificateCheck {
    enum Outcome: Equatable {
        case genuine(office: String, signingTime: Date, reason: String?)
        case altered(detail: String)
        case unknown(detail: String)
    }

    struct Report: Equatable {
        let outcome: Outcome
        let lines: [String]
        /// 0 only for a valid seal.
        var exitCode: Int32 { if case .genuine = outcome { 0 } else { 1 } }
    }

    struct NoCertificates: Error, CustomStringConvertible {
        let description: String
    }

    /// The certificates in `directory`'s `*.pem` files (as downloaded from /verify/certificates).
    static func certificates(inDirectory directory: String) throws -> [Certificate] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pem") }.sorted()
        let certificates = try names.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                return try Certificate(pemEncoded: try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw NoCertificates(description: "\(path): not a PEM certificate (\(error))")
            }
        }
        guard certificates.contains(where: isRoot) else {
            throw NoCertificates(description: "\(directory): no root certificate among its .pem files; download them from /verify/certificates")
        }
        return certificates
    }

    /// Self-issued certificates are the roots trusted; office certificates ride in the PDF itself.
    static func isRoot(_ certificate: Certificate) -> Bool { certificate.subject == certificate.issuer }

    static func check(pdf: [UInt8], certificates: [Certificate], verifyPage: String) async -> Report {
        let roots = certificates.filter(isRoot)
        let outcome: Outcome
        switch await PDFSealVerifier.verify(pdf: pdf, trustRoots: roots) {
        case .valid(let signer, let signingTime, let reason, let name):
            outcome = .genuine(office: signer.commonName ?? name ?? "?", signingTime: signingTime, reason: reason)
        case .altered(let detail):
            outcome = .altered(detail: detail)
        case .untrusted(let signer):
            let ours = PublishedSeals.claims(signer, roots: roots, offices: certificates.filter { !isRoot($0) })
            outcome = ours ? .altered(detail: "the signer's certificate does not verify against the published root")
                : .unknown(detail: "sealed by \(signer.commonName ?? "someone") whose certificate is not among the published ones")
        case .unsigned:
            outcome = .unknown(detail: "the file carries no seal")
        }
        return Report(outcome: outcome, lines: lines(outcome, verifyPage: verifyPage))
    }

    private static func lines(_ outcome: Outcome, verifyPage: String) -> [String] {
        switch outcome {
        case .genuine(let office, let signingTime, let reason):
            var lines = ["GENUINE: sealed by \(office) at \(TimeDisplay.format(signingTime, in: TimeZone(identifier: "UTC")!)); not a byte changed since."]
            if let reason, !reason.isEmpty { lines.append("Certificate: \(reason)") }
            lines.append("Revocation cannot be known offline: to learn whether the office has revoked it since, "
                         + "enter its number and verification code at \(verifyPage).")
            return lines
        case .altered(let detail):
            return ["ALTERED: this file is not the certificate as sealed (\(detail)). Ask for the original."]
        case .unknown(let detail):
            return ["UNKNOWN: no seal of a published notary office (\(detail)); it cannot be confirmed as a certificate issued here."]
        }
    }
}
