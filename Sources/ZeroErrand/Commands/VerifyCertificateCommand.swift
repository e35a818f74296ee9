import Foundation
import Vapor

/// `zeroerrand verify FILE.pdf [--certificates DIR]`: checks a certificate's seal offline. Exits 0
/// only for a valid seal, so scripts can rely on it.
struct VerifyCertificateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The certificate's PDF file.")
        var file: String

        @Option(name: "certificates", help: "A folder of .pem certificates downloaded from /verify/certificates; without it, the roots in this installation's database.")
        var certificates: String?
    }

    var help: String { "Checks a notarial certificate PDF's seal offline: genuine, altered or unknown (revocation needs the register)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let application = context.application
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw OfflineCertificateCheck.NoCertificates(description: "\(signature.file): cannot be read")
        }
        let certificates = if let directory = signature.certificates {
            try OfflineCertificateCheck.certificates(inDirectory: directory)
        } else {
            try await PublishedSeals.load(on: application.db).entries.map(\.certificate)
        }
        let report = await OfflineCertificateCheck.check(pdf: Array(data), certificates: certificates,
                                                         verifyPage: SiteURL.verify.absolute(application.dependencies.config))
        for line in report.lines {
            if report.exitCode == 0 { context.console.info(line) } else { context.console.error(line) }
        }
        if report.exitCode != 0 { throw SealNotValid() }
    }

    struct SealNotValid: Error, CustomStringConvertible {
        var description: String { "the certificate's seal is not valid" }
    }
}
