import Foundation
import Vapor

enum AppLocale: String, Sendable, CaseIterable, Codable {
    case zhHans = "zh-Hans"
    case en

    /// Picks the first language in an Accept-Language header that we speak.
    static func preferred(acceptLanguage: String?) -> AppLocale? {
        guard let header = acceptLanguage else { return nil }
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, quality)
        }.sorted { $0.1 > $1.1 }
        for (tag, quality) in ranked where quality > 0 {
            if tag.hasPrefix("zh") { return .zhHans }
            if tag.hasPrefix("en") { return .en }
        }
        return nil
    }

    init?(tag: String) {
        switch tag.lowercased() {
        case "zh-hans", "zh", "zh-cn": self = .zhHans
        case "en": self = .en
        default: return nil
        }
    }
}

/// One translated text, or for a text with a number in it, one per plural category of the
/// language (`{"one": "{count} working day", "other": "{count} working days"}`; Chinese has
/// only "other"). The form is chosen by the `count` argument.
enum Translation: Decodable, Sendable, Equatable {
    case text(String)
    case plural([String: String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .plural(try container.decode([String: String].self))
        }
    }

    /// Every form, for checks that look at all of them.
    var forms: [String] {
        switch self {
        case .text(let text): [text]
        case .plural(let forms): forms.keys.sorted().compactMap { forms[$0] }
        }
    }

    func text(count: Int?, in locale: AppLocale) -> String? {
        switch self {
        case .text(let text): text
        case .plural(let forms): forms[locale.pluralCategory(count ?? 0)] ?? forms["other"]
        }
    }
}

extension AppLocale {
    /// The CLDR plural categories each language's texts must give.
    var pluralCategories: Set<String> { self == .en ? ["one", "other"] : ["other"] }

    /// CLDR's rule for whole numbers: English says "1 day" and "0 days"; Chinese has one form.
    func pluralCategory(_ count: Int) -> String {
        self == .en && count == 1 ? "one" : "other"
    }
}

/// All user-facing text, from `Resources/Locales/<locale>.json`. Both files must hold the same
/// keys; a test fails when one is missing.
struct Translator: Sendable {
    let tables: [AppLocale: [String: Translation]]

    static func load(from directory: String) throws -> Translator {
        var tables: [AppLocale: [String: Translation]] = [:]
        for locale in AppLocale.allCases {
            let path = directory + "Locales/\(locale.rawValue).json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AppConfig.Invalid(setting: "resources", problem: "lack \(path)")
            }
            tables[locale] = try JSONDecoder().decode([String: Translation].self, from: data)
        }
        return Translator(tables: tables)
    }

    /// `{name}` placeholders are filled from `arguments`; a text with plural forms picks its form
    /// by the `count` argument. A missing key shows itself instead of failing the page, and the
    /// translation test keeps that from shipping.
    func text(_ key: String, _ locale: AppLocale, _ arguments: [String: String] = [:]) -> String {
        let count = arguments["count"].flatMap { Int($0) }
        var text = tables[locale]?[key]?.text(count: count, in: locale) ?? tables[.en]?[key]?.text(count: count, in: .en) ?? "⟦\(key)⟧"
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }
}

extension Request {
    private struct LocaleKey: StorageKey { typealias Value = AppLocale }

    /// The language of this response: the visitor's explicit choice (cookie), then the account's
    /// setting, then the browser's Accept-Language, then Chinese.
    var locale: AppLocale {
        if let cached = storage[LocaleKey.self] { return cached }
        let locale = cookies[cookieName("ze_lang")].flatMap { AppLocale(tag: $0.string) }
            ?? currentAccount.flatMap { AppLocale(tag: $0.locale) }
            ?? AppLocale.preferred(acceptLanguage: headers.first(name: .acceptLanguage))
            ?? .zhHans
        storage[LocaleKey.self] = locale
        return locale
    }

    func t(_ key: String, _ arguments: [String: String] = [:]) -> String {
        translator.text(key, locale, arguments)
    }
}
