import Foundation
import ZeroErrandCore

/// The words of a power of attorney, in Chinese and English, built only from the mandate's facts:
/// the same facts always give the same text, so its SHA-256 identifies what was signed.
struct MandateTerms {
    struct Party {
        var name: String
        var idNumber: String
    }

    var mandateID: UUID
    var principal: Party
    var proxy: Party
    var relationship: Relationship
    var proxyContact: String
    /// "CODE 中文名 / English name" per matter, or the case number and its matter.
    var scopeLines: [String]
    var validFrom: String
    var validUntil: String
    var limits: MandateLimits

    var text: String {
        let yes = "是 / yes", no = "否 / no"
        var lines = [
            "授权委托书 / Power of attorney",
            "编号 / Reference: \(mandateID.uuidString.lowercased())",
            "",
            "委托人 / Principal: \(principal.name)",
            "委托人公民身份号码 / Principal's ID number: \(principal.idNumber)",
            "受托人 / Agent: \(proxy.name)",
            "受托人公民身份号码 / Agent's ID number: \(proxy.idNumber)",
            "关系 / Relationship: \(Self.relationshipText[relationship] ?? relationship.rawValue)",
            "受托人联系方式 / Agent's contact: \(proxyContact)",
            "",
            "委托事项 / Matters entrusted:",
        ]
        lines += scopeLines.map { "- \($0)" }
        lines += [
            "",
            "有效期 / Valid: \(validFrom) 至 / to \(validUntil)（北京时间 / China Standard Time）",
            "可领取办理结果 / May collect the result: \(limits.mayCollect ? yes : no)",
            "可代为签名 / May sign: \(limits.maySign ? yes : no)",
            "可代为缴费 / May pay fees: \(limits.mayPay ? yes : no)",
            "",
            "委托人可随时撤销本委托，撤销后立即失效。",
            "The principal may revoke this mandate at any time; it ends the moment it is revoked.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static let relationshipText: [Relationship: String] = [
        .spouse: "配偶 / spouse", .parent: "父母 / parent", .child: "子女 / child",
        .sibling: "兄弟姐妹 / sibling", .otherClose: "其他近亲属 / other close relative",
    ]
}
