import Crypto
import Foundation
import X509
import ZeroErrandPrint
@testable import ZeroErrandSeal

func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))!
}

/// A root and one office certificate under it, as the platform would make them.
struct TestAuthority {
    static let officeName = "浙江省温州市公证处"
    static let officeCode = "330300-01"

    let rootKey: P256.Signing.PrivateKey
    let root: Certificate

    init(rootKey: P256.Signing.PrivateKey = .init(), serial: Int = 1) throws {
        self.rootKey = rootKey
        root = try SealAuthority.makeRootCertificate(
            privateKey: rootKey, serialNumber: .init(serial), notValidBefore: utc(2019, 1, 1), notValidAfter: utc(2049, 1, 1))
    }

    /// Valid 2026-2028 by default: covers both the seal time and the real now.
    func office(key: P256.Signing.PrivateKey = .init(), serial: Int = 100,
                from: Date = utc(2026, 1, 1), until: Date = utc(2028, 1, 1)) throws -> SealSigner {
        let certificate = try SealAuthority.issueOfficeCertificate(
            officeName: Self.officeName, officeCode: Self.officeCode, officePublicKey: key.publicKey,
            serialNumber: .init(serial), notValidBefore: from, notValidAfter: until, root: root, rootPrivateKey: rootKey)
        return try SealSigner(certificate: certificate, privateKey: key)
    }
}

enum Sample {
    static let sealTime = utc(2026, 6, 1, 12)
    static let certificateNumber = "(2026)浙温证字第000123号"

    /// A notarial certificate as ZeroErrandPrint renders it, Chinese and all.
    static func pdf(createdAt date: Date = utc(2026, 6, 1, 11)) throws -> [UInt8] {
        try PDFRenderer.render(PrintedDocument(
            title: "公证书", author: TestAuthority.officeName,
            blocks: [
                .title("公证书"),
                .fields([(label: "编号", value: certificateNumber), (label: "申请人", value: "张三 (Zhang San)")]),
                .paragraph("兹证明张三于二〇二六年六月一日在本公证员面前，在前面的《授权委托书》上签名。"),
                .paragraph("浙江省温州市公证处 公证员 李四"),
            ]), creationDate: date)
    }

    static func seal(_ pdf: [UInt8], by signer: SealSigner, chain: [Certificate], at time: Date = sealTime) throws -> [UInt8] {
        try PDFSealer.seal(pdf: pdf, signer: signer, chain: chain, signingTime: time,
                           reason: certificateNumber, location: "温州 Wenzhou", name: TestAuthority.officeName)
    }
}

/// pdfsig's report on the file's only signature.
struct PdfsigReport {
    let output: String

    init(_ file: URL, nssDirectory: URL? = nil) throws {
        let options = nssDirectory.map { ["-nssdir", "sql:\($0.path)"] } ?? []
        let result = try Tools.run("pdfsig", options + [file.path])
        output = result.stdout + result.stderr
    }

    /// The value of a `  - Key: value` line.
    func field(_ key: String) -> String? {
        for line in output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- \(key): ") { return String(trimmed.dropFirst(key.count + 4)) }
        }
        return nil
    }

    /// An intact signature over the whole file: what "valid" means for a seal.
    var acceptsWholeFile: Bool {
        field("Signature Validation") == "Signature is Valid." && output.contains("- Total document signed")
    }
}

extension SealVerification {
    var isAltered: Bool {
        if case .altered = self { return true }
        return false
    }
}
