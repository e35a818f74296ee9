import Foundation
import ZeroErrandCore

/// The facts a case mail carries for its event, beyond the one-line notification: what is asked
/// and by when, when the decision is due, how to get the result. In the recipient's language,
/// times in the recipient's zone (named); the office's civil days with the office's zone named.
struct CaseMailFacts {
    let record: Case
    let locale: AppLocale
    let zone: TimeZone
    let translator: Translator

    /// `event`: the notification key's last part ("request_supplement"). Needs the case's matter and
    /// department loaded; empty when the event has nothing more to say.
    func text(for event: String) -> String {
        let t = { (key: String, arguments: [String: String]) in translator.text(key, locale, arguments) }
        // Read only by the events that need them: a message's mail needs neither relation loaded.
        var office: String { record.department.name(locale) }
        var due: String? { record.dueOn.map { t("mail.facts.due", ["day": $0, "zone": record.department.zone.identifier]) } }
        switch event {
        case "resubmit":
            return t("mail.facts.resubmitted", ["office": office])
        case "submit":
            return t("mail.facts.submitted", ["office": office, "count": String(record.limitDays)])
        case "request_supplement":
            // The notification already lists the items.
            return t("mail.facts.supplement_by", ["by": record.supplementDueBy.map { TimeDisplay.format($0, in: zone) } ?? "-"])
        case "supplement_due_soon":
            let items = record.supplementItems.map { "- " + $0 }.joined(separator: "\n")
            let by = record.supplementDueBy.map { TimeDisplay.format($0, in: zone) } ?? "-"
            return t("mail.facts.supplement", ["items": items, "by": by])
        case "accept":
            return due ?? ""
        case "accept_provisionally", "supply_later_due_soon":
            let names = record.provisionalMissing.compactMap { index in
                record.matter.materials.indices.contains(index) ? "- " + record.matter.materials[index].name(locale) : nil
            }.joined(separator: "\n")
            let by = record.supplyBy.map { TimeDisplay.format($0, in: zone) } ?? "-"
            return [due, t("mail.facts.supply_later", ["items": names, "by": by])].compactMap { $0 }.joined(separator: "\n\n")
        case "approve":
            return t(record.matter.channels.contains(.proxy) && record.$mandate.id != nil ? "mail.facts.approved_collect" : "mail.facts.approved_download",
                     ["office": office])
        case "issue_result":
            return t("mail.facts.result_download", [:])
        case "ready_for_collection":
            return t("mail.facts.collect", ["office": office, "city": locale == .zhHans ? record.department.cityZh : record.department.cityEn])
        case "refuse", "not_accept":
            return t("mail.facts.refused", ["office": office])
        default:
            return ""
        }
    }
}
