import Foundation
import ZeroErrandCore
import ZeroErrandPrint

/// What a notarial certificate says, gathered before it is printed and sealed.
struct CertificateFacts: Sendable {
    var numberChinese: String
    var numberEnglish: String
    var kind: NotarialCatalogue.Kind
    var holderName: String
    var matterChinese: String
    var matterEnglish: String
    var documentChinese: String
    var documentEnglish: String
    var notaryName: String
    var officeChinese: String
    var officeEnglish: String
    /// The day of issue, in the office's zone.
    var issuedOn: CivilDay
    /// The day the applicant signed before the notary by video, in the office's zone.
    var signedOn: CivilDay
    var signature: PNGImage?
    var verificationCode: String
    /// What the QR code carries: the verification page with the signed payload in its fragment.
    var qrText: String
    var verifyPage: String
}

/// The certificate PDF: the Chinese original, then its English translation on a page of its own.
/// The seal (a PDF signature) is added afterwards, over these exact bytes.
enum CertificatePrint {
    static func render(_ facts: CertificateFacts, creationDate: Date) throws -> [UInt8] {
        let dateChinese = "\(facts.issuedOn.year)年\(facts.issuedOn.month)月\(facts.issuedOn.day)日"
        let signedChinese = "\(facts.signedOn.year)年\(facts.signedOn.month)月\(facts.signedOn.day)日"
        let dateEnglish = englishDate(facts.issuedOn), signedEnglish = englishDate(facts.signedOn)
        let statementChinese = switch facts.kind {
        case .signature: "兹证明\(facts.holderName)于\(signedChinese)通过远程视频在本公证员面前，在前面的文书上签名，并确认文书内容是其真实意思表示。"
        case .fact: "兹证明前面所述事实属实。申请人\(facts.holderName)已于\(signedChinese)通过远程视频在本公证员面前确认并签名。"
        }
        let statementEnglish = switch facts.kind {
        case .signature: "This is to certify that \(facts.holderName) signed the foregoing document before me by remote video on \(signedEnglish) and confirmed that its content expresses their true intention."
        case .fact: "This is to certify that the facts stated above are true. The applicant, \(facts.holderName), confirmed and signed them before me by remote video on \(signedEnglish)."
        }
        let qr = try QRCode(encoding: facts.qrText)
        var blocks: [PrintedDocument.Block] = [
            .title("公证书"),
            .paragraph(facts.numberChinese),
            .fields([(label: "申请人", value: facts.holderName), (label: "公证事项", value: facts.matterChinese)]),
            .heading("公证文书"),
            .paragraph(facts.documentChinese),
        ]
        if let signature = facts.signature { blocks.append(.signature(signature, label: "申请人签名")) }
        blocks += [
            .heading("公证证词"),
            .paragraph(statementChinese),
            .attestation([(label: "公证员", value: facts.notaryName), (label: "公证处", value: facts.officeChinese),
                          (label: "日期", value: dateChinese)], seal: facts.officeChinese),
            .fieldsBesideQR([(label: "核验码", value: facts.verificationCode), (label: "核验网址", value: facts.verifyPage),
                             (label: "说明", value: "扫码或在核验网址输入证书编号和核验码，即可核验本公证书的真伪和效力。")], qr),
            .pageBreak,
            .title("Notarial Certificate (English translation)"),
            .paragraph(facts.numberEnglish),
            .fields([(label: "Applicant", value: facts.holderName), (label: "Matter", value: facts.matterEnglish)]),
            .heading("Notarized document"),
            .paragraph(facts.documentEnglish),
        ]
        if let signature = facts.signature { blocks.append(.signature(signature, label: "Signature of the applicant")) }
        blocks += [
            .heading("Notarial statement"),
            .paragraph(statementEnglish),
            .attestation([(label: "Notary", value: facts.notaryName), (label: "Notary office", value: facts.officeEnglish),
                          (label: "Date", value: dateEnglish)], seal: facts.officeChinese),
            .fieldsBesideQR([(label: "Verification code", value: facts.verificationCode), (label: "Verify at", value: facts.verifyPage),
                             (label: "Note", value: "This translation is attached to the Chinese original above. Scan the code, or enter the certificate number and the verification code at the address given, to check that the certificate is genuine and in force.")], qr),
        ]
        let document = PrintedDocument(title: "公证书 \(facts.numberChinese)", author: facts.officeChinese, pageSize: .a4, blocks: blocks)
        return try PDFRenderer.render(document, creationDate: creationDate)
    }

    private static func englishDate(_ day: CivilDay) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(day.day) \(months[day.month - 1]) \(day.year)"
    }
}
