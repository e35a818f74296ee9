import Foundation
import Vapor
import ZeroErrandCore

/// The mediation request as the filer sends it, checked field by field: each problem is named
/// against its field in the filer's language, and nothing is stored until all are fixed.
struct MediationFiling: Sendable {
    struct Party: Sendable {
        var side: MediationSide
        var kind: MediationParty.Kind
        var name: String
        var email: String
        var country: String
        var timeZone: String
        var waking: WakingHours
    }

    var kind: Mediation.DisputeKind
    var amountMinor: Int64
    var currency: String
    var claim: String
    var facts: String
    /// The filer first (a plaintiff), then the others as listed.
    var parties: [Party]

    static let maxParties = 10
    /// Currencies the form offers, with their minor-unit digits (ISO 4217).
    static let currencies: [(code: String, digits: Int)] = [("CNY", 2), ("EUR", 2), ("USD", 2), ("GBP", 2), ("HKD", 2), ("CHF", 2), ("JPY", 0)]

    /// What the form posts. Party rows left wholly blank are ignored.
    struct Form: Content {
        struct PartyRow: Content {
            var side: String?
            var kind: String?
            var name: String?
            var email: String?
            var country: String?
            var timeZone: String?
            var wakingStart: String?
            var wakingEnd: String?

            var isBlank: Bool { [name, email, country].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty } }
        }

        var kind: String?
        var amount: String?
        var currency: String?
        var claim: String?
        var facts: String?
        var filerCountry: String?
        var filerTimeZone: String?
        var filerWakingStart: String?
        var filerWakingEnd: String?
        var parties: [PartyRow]?
    }

    /// Field → translation key of what is wrong with it.
    struct Problems: Error { let fields: [String: String] }

    /// The checked request, or the problems.
    static func check(_ form: Form, filer: Account) -> Result<MediationFiling, Problems> {
        var errors: [String: String] = [:]
        let kind = Mediation.DisputeKind(rawValue: form.kind ?? "")
        if kind == nil { errors["kind"] = "mediation.error.kind" }
        let currency = currencies.first { $0.code == form.currency }
        if currency == nil { errors["currency"] = "mediation.error.currency" }
        // A dispute is about something: zero is not an amount in dispute.
        let amount = currency.flatMap { amountMinor(form.amount ?? "", digits: $0.digits) }.flatMap { $0 > 0 ? $0 : nil }
        if currency != nil, amount == nil { errors["amount"] = "mediation.error.amount" }
        let claim = CaseLifecycle.normalizedText(form.claim ?? ""), facts = CaseLifecycle.normalizedText(form.facts ?? "")
        for (field, text) in [("claim", claim), ("facts", facts)] {
            if text.isEmpty { errors[field] = "mediation.error.\(field)_empty" }
            if text.count > CaseLifecycle.maxTextLength { errors[field] = "mediation.error.text_too_long" }
        }
        let filerZone = form.filerTimeZone ?? filer.timeZone
        if !isZone(filerZone) { errors["filerTimeZone"] = "mediation.error.zone" }
        let filerCountry = country(form.filerCountry)
        if filerCountry == nil { errors["filerCountry"] = "mediation.error.country" }
        let filerWaking = waking(form.filerWakingStart, form.filerWakingEnd)
        if filerWaking == nil { errors["filerWakingStart"] = "mediation.error.waking" }
        var parties = [Party(side: .plaintiff, kind: .person, name: filer.displayName, email: EmailAddress.normalize(filer.email) ?? filer.email,
                             country: filerCountry ?? "", timeZone: filerZone, waking: filerWaking ?? .widest)]
        var emails: Set<String> = [parties[0].email]
        for (index, row) in (form.parties ?? []).enumerated() where !row.isBlank {
            let field = { (name: String) in "parties_\(index)_\(name)" }
            let side = MediationSide(rawValue: row.side ?? ""), partyKind = MediationParty.Kind(rawValue: row.kind ?? "")
            if side == nil { errors[field("side")] = "mediation.error.side" }
            if partyKind == nil { errors[field("kind")] = "mediation.error.party_kind" }
            let name = CaseLifecycle.normalizedText(row.name ?? "")
            if name.isEmpty || name.count > 100 { errors[field("name")] = "mediation.error.name" }
            let email = EmailAddress.normalize(row.email ?? "")
            if email == nil { errors[field("email")] = "mediation.error.email" }
            if let email, !emails.insert(email).inserted { errors[field("email")] = "mediation.error.email_twice" }
            let country = Self.country(row.country)
            if country == nil { errors[field("country")] = "mediation.error.country" }
            let zone = row.timeZone ?? ""
            if !isZone(zone) { errors[field("timeZone")] = "mediation.error.zone" }
            let hours = waking(row.wakingStart, row.wakingEnd)
            if hours == nil { errors[field("wakingStart")] = "mediation.error.waking" }
            if let side, let partyKind, let email, let hours, let country {
                parties.append(Party(side: side, kind: partyKind, name: name, email: email, country: country, timeZone: zone, waking: hours))
            }
        }
        if parties.count > maxParties { errors["parties"] = "mediation.error.too_many_parties" }
        if errors.isEmpty, !parties.contains(where: { $0.side == .defendant }) { errors["parties"] = "mediation.error.no_defendant" }
        guard errors.isEmpty, let kind, let currency, let amount else { return .failure(Problems(fields: errors)) }
        return .success(MediationFiling(kind: kind, amountMinor: amount, currency: currency.code, claim: claim, facts: facts, parties: parties))
    }

    /// "12500", "12,500.50" → minor units; nil for anything else (negative, too many decimals, too large).
    static func amountMinor(_ text: String, digits: Int) -> Int64? {
        let plain = text.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 13, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let whole = Int64(parts[0]) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= digits, parts.count == 1 || !fraction.isEmpty else { return nil }
        let scale = Int64(pow(10, Double(digits)))
        return whole * scale + (Int64(fraction.padding(toLength: digits, withPad: "0", startingAt: 0)) ?? 0)
    }

    /// "12500.50 EUR" as people write it, from minor units.
    static func formatAmount(_ minor: Int64, currency: String) -> String {
        let digits = currencies.first { $0.code == currency }?.digits ?? 2
        guard digits > 0 else { return "\(minor) \(currency)" }
        let scale = Int64(pow(10, Double(digits)))
        let remainder = String(minor % scale)
        let fraction = String(repeating: "0", count: max(0, digits - remainder.count)) + remainder
        return "\(minor / scale).\(fraction) \(currency)"
    }

    /// The ISO 3166-1 alpha-2 codes (the two-letter ones of the regions Foundation knows).
    static let countryCodes = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 })

    /// A country's two letters as people type them, upper-cased, when ISO 3166-1 has them.
    static func country(_ text: String?) -> String? {
        let country = (text ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        return countryCodes.contains(country) ? country : nil
    }

    /// A zone of the tz database by name (as the form's list offers them), or plain UTC.
    static func isZone(_ identifier: String) -> Bool {
        identifier == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(identifier)
    }

    /// "HH:MM" to "HH:MM" within 08:00–22:00; both empty means the widest.
    static func waking(_ start: String?, _ end: String?) -> WakingHours? {
        let start = (start ?? "").trimmingCharacters(in: .whitespaces), end = (end ?? "").trimmingCharacters(in: .whitespaces)
        if start.isEmpty && end.isEmpty { return .widest }
        guard let from = minutes(start.isEmpty ? "08:00" : start), let to = minutes(end.isEmpty ? "22:00" : end) else { return nil }
        return WakingHours(startMinute: from, endMinute: to)
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0..<60).contains(minutes) else { return nil }
        return hours * 60 + minutes
    }
}
