import Foundation
import Vapor

/// The verification pages speak five languages, not the site's two: the clerk abroad who is
/// handed a certificate reads the answer in their own. From `Resources/Verification/texts.json`,
/// one entry per key with every language; start-up fails when one is missing.
struct VerificationTexts: Sendable {
    enum Language: String, Sendable, CaseIterable {
        case zhHans = "zh-Hans", en, es, it, fr

        var name: String {
            switch self {
            case .zhHans: "中文"
            case .en: "English"
            case .es: "Español"
            case .it: "Italiano"
            case .fr: "Français"
            }
        }

        /// Foundation's locale for dates ("5 de diciembre de 2026").
        var dateLocale: Locale { Locale(identifier: self == .zhHans ? "zh_CN" : rawValue) }

        init?(tag: String) {
            let lowered = tag.lowercased()
            if lowered.hasPrefix("zh") { self = .zhHans; return }
            guard let match = Self.allCases.first(where: { lowered == $0.rawValue || lowered.hasPrefix($0.rawValue + "-") }) else { return nil }
            self = match
        }
    }

    let table: [String: [String: String]]

    struct Incomplete: Error, CustomStringConvertible { let description: String }

    static func load(_ path: String) throws -> VerificationTexts {
        guard let data = FileManager.default.contents(atPath: path) else { throw Incomplete(description: "\(path): cannot be read") }
        let table = try JSONDecoder().decode([String: [String: String]].self, from: data)
        for (key, texts) in table {
            for language in Language.allCases where (texts[language.rawValue] ?? "").isEmpty {
                throw Incomplete(description: "\(path): '\(key)' has no \(language.rawValue) text")
            }
        }
        return VerificationTexts(table: table)
    }

    func text(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        var text = table[key]?[language.rawValue] ?? "⟦\(key)⟧"
        for (name, value) in arguments { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Every text of one language, for a page to print by key.
    func all(_ language: Language) -> [String: String] {
        table.mapValues { $0[language.rawValue] ?? "" }
    }

    /// `?lang=` first, then the browser's languages, then the site's language.
    static func language(for request: Request) -> Language {
        if let tag = try? request.query.get(String.self, at: "lang"), let language = Language(tag: tag) { return language }
        let header = request.headers.first(name: .acceptLanguage) ?? ""
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if let language = Language(tag: tag) { return language }
        }
        return request.locale == .zhHans ? .zhHans : .en
    }
}
