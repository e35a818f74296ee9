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

/// All user-facing text, from `Resources/Locales/<locale>.json`. Both files must hold the same
/// keys; a test fails when one is missing.
struct Translator: Sendable {
    let tables: [AppLocale: [String: String]]

    static func load(from directory: String) throws -> Translator {
        var tables: [AppLocale: [String: String]] = [:]
        for locale in AppLocale.allCases {
            let path = directory + "Locales/\(locale.rawValue).json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AppConfig.Invalid(setting: "resources", problem: "lack \(path)")
            }
            tables[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Translator(tables: tables)
    }

    /// `{name}` placeholders are filled from `arguments`. A missing key shows itself instead of
    /// failing the page, and the translation test keeps that from shipping.
    func text(_ key: String, _ locale: AppLocale, _ arguments: [String: String] = [:]) -> String {
        var text = tables[locale]?[key] ?? tables[.en]?[key] ?? "⟦\(key)⟧"
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
        dependencies.translator.text(key, locale, arguments)
    }
}
