import Foundation
import ZeroErrandCore
import ZeroErrandPrint

/// What the ruling confirming a mediation agreement says, gathered before it is printed and sealed.
struct RulingFacts: Sendable {
    struct Signer: Sendable {
        var party: String
        /// The account that signed: the party, or their agent.
        var signer: String
        var signedAt: String
    }

    var numberChinese: String
    var numberEnglish: String
    var courtChinese: String
    var courtEnglish: String
    var plaintiffs: String
    var defendants: String
    var agreementChinese: String
    var agreementEnglish: String
    var agreementVersion: Int
    var agreementSHA256: String
    var signers: [Signer]
    var judgeName: String
    var issuedOn: CivilDay
    var verificationCode: String
    var qrText: String
    var verifyPage: String
}

/// The ruling's PDF: the Chinese original with the agreement it confirms, then its English
/// translation. The court's seal (a PDF signature) is added afterwards over these exact bytes.
enum RulingPrint {
    static func render(_ facts: RulingFacts, creationDate: Date) throws -> [UInt8] {
        let day = facts.issuedOn
        let dateChinese = "\(day.year)年\(day.month)月\(day.day)日", dateEnglish = AgreementText.englishDate(day)
        let qr = try QRCode(encoding: facts.qrText)
        let signedChinese = facts.signers.map { "\($0.party)（签署人：\($0.signer)，\($0.signedAt)）" }.joined(separator: "\n")
        let signedEnglish = facts.signers.map { "\($0.party) (signed by \($0.signer), \($0.signedAt))" }.joined(separator: "\n")
        let blocks: [PrintedDocument.Block] = [
            .title(facts.courtChinese),
            .title("民事裁定书"),
            .paragraph(facts.numberChinese),
            .fields([(label: "申请人", value: facts.plaintiffs), (label: "被申请人", value: facts.defendants)]),
            .paragraph("各方当事人于本院组织的跨境在线调解中达成调解协议（第 \(facts.agreementVersion) 版，SHA-256：\(facts.agreementSHA256)），各方均以本人的第二重身份验证在线签署，并共同申请司法确认。本院经审查认为，该调解协议系各方当事人自愿达成，内容不违反法律强制性规定，不损害国家利益、社会公共利益和他人合法权益，符合司法确认的条件。依照《中华人民共和国民事诉讼法》有关规定，裁定如下："),
            .paragraph("一、各方当事人达成的下列调解协议有效。\n二、当事人应当按照调解协议的约定自觉履行义务。一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请执行。"),
            .heading("调解协议"),
            .paragraph(facts.agreementChinese),
            .heading("签署"),
            .paragraph(signedChinese),
            .attestation([(label: "审判员", value: facts.judgeName), (label: "法院", value: facts.courtChinese), (label: "日期", value: dateChinese)],
                         seal: facts.courtChinese),
            .fieldsBesideQR([(label: "核验码", value: facts.verificationCode), (label: "核验网址", value: facts.verifyPage),
                             (label: "说明", value: "扫码或在核验网址输入案号和核验码，即可核验本裁定书的真伪和效力。")], qr),
            .pageBreak,
            .title(facts.courtEnglish),
            .title("Civil Ruling (English translation)"),
            .paragraph(facts.numberEnglish),
            .fields([(label: "Plaintiffs", value: facts.plaintiffs), (label: "Defendants", value: facts.defendants)]),
            .paragraph("In cross-border online mediation organised by this court the parties reached a mediation agreement (version \(facts.agreementVersion), SHA-256 \(facts.agreementSHA256)), which each of them signed online with their own second factor, and jointly applied for its judicial confirmation. Having examined it, the court finds that the agreement was reached voluntarily, does not breach mandatory provisions of law and does not harm the interests of the State, the public or others, and meets the conditions for judicial confirmation. Under the Civil Procedure Law of the People's Republic of China, the court rules:"),
            .paragraph("1. The mediation agreement below between the parties is valid.\n2. The parties shall perform their obligations under it. If a party refuses to perform or does not perform in full, the other party may apply to the People's Court for enforcement."),
            .heading("Mediation agreement"),
            .paragraph(facts.agreementEnglish),
            .heading("Signatures"),
            .paragraph(signedEnglish),
            .attestation([(label: "Judge", value: facts.judgeName), (label: "Court", value: facts.courtEnglish), (label: "Date", value: dateEnglish)],
                         seal: facts.courtChinese),
            .fieldsBesideQR([(label: "Verification code", value: facts.verificationCode), (label: "Verify at", value: facts.verifyPage),
                             (label: "Note", value: "This translation is attached to the Chinese original above. Scan the code, or enter the case number and the verification code at the address given, to check that the ruling is genuine and in force.")], qr),
        ]
        let document = PrintedDocument(title: "民事裁定书 \(facts.numberChinese)", author: facts.courtChinese, pageSize: .a4, blocks: blocks)
        return try PDFRenderer.render(document, creationDate: creationDate)
    }
}
