import Foundation
import ZeroErrandCore

/// What the mediator enters for the agreement: who owes what by when, what happens on default,
/// who bears the costs, and anything else agreed. The text the parties sign is written from these
/// terms (`AgreementText`), so the case's deadlines and the signed words cannot disagree.
struct AgreementTerms: Codable, Sendable, Equatable {
    struct Obligation: Codable, Sendable, Equatable {
        /// Party positions (0 = the filer).
        var debtor: Int
        var creditor: Int
        var amountMinor: Int64
        var currency: String
        /// "2027-05-01": a civil day in the court's zone.
        var dueOn: String
    }

    var obligations: [Obligation]
    var onDefaultChinese: String
    var onDefaultEnglish: String
    var costsChinese: String
    var costsEnglish: String
    var otherChinese: String
    var otherEnglish: String

    static let maxObligations = 8

    /// The template a first draft starts from.
    static let template = AgreementTerms(
        obligations: [],
        onDefaultChinese: "任何一期款项逾期未付的，权利人可以就全部未付款项向人民法院申请强制执行。",
        onDefaultEnglish: "If any payment is not made when due, the creditor may apply to the People's Court for enforcement of the whole unpaid amount.",
        costsChinese: "本案调解不收费；各方自行承担各自的律师费等费用。",
        costsEnglish: "Mediation is free of charge; each party bears its own lawyer's and other costs.",
        otherChinese: "", otherEnglish: "")

    var json: String { String(decoding: (try? JSONEncoder.sorted.encode(self)) ?? Data(), as: UTF8.self) }

    static func decode(_ json: String) -> AgreementTerms? { try? JSONDecoder().decode(AgreementTerms.self, from: Data(json.utf8)) }

    /// What the mediator's form posts: up to `maxObligations` rows, blank rows ignored.
    struct Form: Codable, Sendable {
        struct Row: Codable, Sendable {
            var debtor: String?
            var creditor: String?
            var amount: String?
            var currency: String?
            var dueOn: String?

            var isBlank: Bool { [amount, dueOn].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty } }
        }

        var obligations: [Row]?
        var onDefaultChinese: String?
        var onDefaultEnglish: String?
        var costsChinese: String?
        var costsEnglish: String?
        var otherChinese: String?
        var otherEnglish: String?
    }

    struct Problems: Error { let fields: [String: String] }

    /// The checked terms, or field → translation key. `partyCount` bounds the positions; a
    /// debtor never owes themselves; due days are real days not before `today`.
    static func check(_ form: Form, partyCount: Int, today: CivilDay) -> Result<AgreementTerms, Problems> {
        var errors: [String: String] = [:]
        var obligations: [Obligation] = []
        for (index, row) in (form.obligations ?? []).enumerated() where !row.isBlank {
            let field = { (name: String) in "obligations_\(index)_\(name)" }
            let debtor = Int(row.debtor ?? ""), creditor = Int(row.creditor ?? "")
            guard let debtor, let creditor, (0..<partyCount).contains(debtor), (0..<partyCount).contains(creditor), debtor != creditor else {
                errors[field("debtor")] = "mediation.agreement.error.parties"
                continue
            }
            let currency = MediationFiling.currencies.first { $0.code == row.currency }
            guard let currency, let amount = MediationFiling.amountMinor(row.amount ?? "", digits: currency.digits), amount > 0 else {
                errors[field("amount")] = "mediation.agreement.error.amount"
                continue
            }
            guard let due = CivilDay((row.dueOn ?? "").trimmingCharacters(in: .whitespaces)), due >= today, due <= today.adding(days: 3653) else {
                errors[field("dueOn")] = "mediation.agreement.error.due"
                continue
            }
            obligations.append(Obligation(debtor: debtor, creditor: creditor, amountMinor: amount, currency: currency.code, dueOn: due.description))
        }
        if obligations.isEmpty && errors.isEmpty { errors["obligations"] = "mediation.agreement.error.no_obligation" }
        if obligations.count > maxObligations { errors["obligations"] = "mediation.agreement.error.too_many" }
        let text = { (value: String?) in CaseLifecycle.normalizedText(value ?? "") }
        let clauses = ["onDefaultChinese": text(form.onDefaultChinese), "onDefaultEnglish": text(form.onDefaultEnglish),
                       "costsChinese": text(form.costsChinese), "costsEnglish": text(form.costsEnglish),
                       "otherChinese": text(form.otherChinese), "otherEnglish": text(form.otherEnglish)]
        for (field, value) in clauses {
            if value.count > CaseLifecycle.maxTextLength { errors[field] = "mediation.error.text_too_long" }
            if value.isEmpty && !field.hasPrefix("other") { errors[field] = "mediation.agreement.error.clause_empty" }
        }
        // Other terms come in both languages or not at all: the translation is signed with the original.
        if clauses["otherChinese"]!.isEmpty != clauses["otherEnglish"]!.isEmpty { errors["otherEnglish"] = "mediation.agreement.error.translation" }
        guard errors.isEmpty else { return .failure(Problems(fields: errors)) }
        return .success(AgreementTerms(obligations: obligations, onDefaultChinese: clauses["onDefaultChinese"]!, onDefaultEnglish: clauses["onDefaultEnglish"]!,
                                       costsChinese: clauses["costsChinese"]!, costsEnglish: clauses["costsEnglish"]!,
                                       otherChinese: clauses["otherChinese"]!, otherEnglish: clauses["otherEnglish"]!))
    }
}

extension JSONEncoder {
    /// Keys in a fixed order: the same terms always give the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// The agreement's words, in Chinese and in English, written from the terms and the parties.
enum AgreementText {
    struct Party: Sendable {
        var name: String
        var side: MediationSide
        var country: String
    }

    static func render(_ terms: AgreementTerms, parties: [Party], courtChinese: String, courtEnglish: String,
                       caseNumber: String) -> (chinese: String, english: String) {
        func names(_ side: MediationSide, _ open: String, _ close: String, _ separator: String) -> String {
            parties.filter { $0.side == side }.map { $0.country.isEmpty ? $0.name : "\($0.name)\(open)\($0.country)\(close)" }
                .joined(separator: separator)
        }
        let name = { (index: Int) in index < parties.count ? parties[index].name : "?" }
        var chinese = ["调解协议", "案件：\(caseNumber)", "法院：\(courtChinese)",
                       "申请人：\(names(.plaintiff, "（", "）", "；"))", "被申请人：\(names(.defendant, "（", "）", "；"))",
                       "经本院组织调解，各方当事人自愿达成如下协议："]
        var english = ["Mediation Agreement", "Case: \(caseNumber)", "Court: \(courtEnglish)",
                       "Plaintiffs: \(names(.plaintiff, " (", ")", "; "))", "Defendants: \(names(.defendant, " (", ")", "; "))",
                       "Through mediation organised by the court, the parties have freely agreed as follows:"]
        var clause = 0
        func next() -> (String, String) {
            clause += 1
            return (chineseNumeral(clause) + "、", "\(clause). ")
        }
        for obligation in terms.obligations {
            let (zh, en) = next()
            let amount = MediationFiling.formatAmount(obligation.amountMinor, currency: obligation.currency)
            let due = CivilDay(obligation.dueOn)
            let dueChinese = due.map { "\($0.year)年\($0.month)月\($0.day)日" } ?? obligation.dueOn
            chinese.append("\(zh)\(name(obligation.debtor))于\(dueChinese)前向\(name(obligation.creditor))支付\(amount)。")
            english.append("\(en)\(name(obligation.debtor)) shall pay \(amount) to \(name(obligation.creditor)) by \(due.map(englishDate) ?? obligation.dueOn).")
        }
        var (zh, en) = next()
        chinese.append("\(zh)违约责任：\(terms.onDefaultChinese)")
        english.append("\(en)On default: \(terms.onDefaultEnglish)")
        (zh, en) = next()
        chinese.append("\(zh)费用负担：\(terms.costsChinese)")
        english.append("\(en)Costs: \(terms.costsEnglish)")
        if !terms.otherChinese.isEmpty {
            (zh, en) = next()
            chinese.append("\(zh)其他：\(terms.otherChinese)")
            english.append("\(en)Other terms: \(terms.otherEnglish)")
        }
        chinese.append("本协议经各方当事人签署，并经人民法院司法确认后，具有强制执行力。")
        english.append("Once signed by every party and confirmed by the People's Court, this agreement is enforceable.")
        return (chinese.joined(separator: "\n"), english.joined(separator: "\n"))
    }

    static func chineseNumeral(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 1...9: return digits[n]
        case 10: return "十"
        case 11...19: return "十" + digits[n - 10]
        default: return "\(n)"
        }
    }

    static func englishDate(_ day: CivilDay) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(day.day) \(months[day.month - 1]) \(day.year)"
    }
}
