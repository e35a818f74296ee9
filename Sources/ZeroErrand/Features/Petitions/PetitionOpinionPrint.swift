import Foundation
import ZeroErrandCore
import ZeroErrandPrint

/// The written opinion on a petition (处理意见书 / 复查意见书 / 复核意见书), Chinese with the English
/// beside each fixed part; the official's own words are printed as written.
enum PetitionOpinionPrint {
    struct Facts: Sendable {
        var number: String
        var level: Int
        var officeChinese: String
        var officeEnglish: String
        var petitioner: String?
        var title: String
        var opinion: String
        var issuedOn: CivilDay
        /// Working days the petitioner has to ask for the next level; nil after the re-review or
        /// for an anonymous report.
        var nextLevelDays: Int?
    }

    static let titles = [("信访事项处理意见书", "Opinion on a petition"), ("信访事项复查意见书", "Review opinion on a petition"),
                         ("信访事项复核意见书", "Re-review opinion on a petition")]

    static func render(_ facts: Facts, creationDate: Date) throws -> [UInt8] {
        let (titleChinese, titleEnglish) = titles[min(max(facts.level, 0), 2)]
        let day = facts.issuedOn
        var blocks: [PrintedDocument.Block] = [
            .title(facts.officeChinese),
            .title("\(titleChinese) / \(titleEnglish)"),
            .fields([(label: "编号 Number", value: facts.number),
                     (label: "信访人 Petitioner", value: facts.petitioner ?? "匿名 Anonymous"),
                     (label: "事项 Matter", value: facts.title)]),
            .heading("意见 Opinion"),
            .paragraph(facts.opinion),
        ]
        switch (facts.level, facts.nextLevelDays) {
        case (2, _):
            blocks.append(.paragraph("本意见为复核意见，信访事项终结。以同一事实和理由再次提出的信访事项，不再受理。\nThis is the re-review opinion: the matter is closed. A petition on the same facts and reasons will not be accepted again."))
        case (let level, let days?):
            let next = level == 0 ? ("复查", "a review") : ("复核", "a re-review")
            blocks.append(.paragraph("信访人对本意见不服的，可自收到本意见之日起 \(days) 个工作日内在本平台请求\(next.0)。\nIf you do not accept this opinion, you may ask for \(next.1) on the platform within \(days) working days of receiving it."))
        default:
            break
        }
        blocks.append(.attestation([(label: "机关 Office", value: "\(facts.officeChinese) / \(facts.officeEnglish)"),
                                    (label: "日期 Date", value: "\(day.year)年\(day.month)月\(day.day)日 / \(day.description)")],
                                   seal: facts.officeChinese))
        let document = PrintedDocument(title: "\(titleChinese) \(facts.number)", author: facts.officeChinese, pageSize: .a4, blocks: blocks)
        return try PDFRenderer.render(document, creationDate: creationDate)
    }
}
