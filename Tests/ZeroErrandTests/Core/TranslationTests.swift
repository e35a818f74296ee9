import Foundation
import Testing
@testable import ZeroErrand

/// Every user-facing string exists in both languages; a missing one fails here.
@Suite("Translations")
struct TranslationTests {
    let root = TestEnvironment.packageRoot
    var translator: Translator { get throws { try Translator.load(from: root + "Resources/") } }

    func files(under folder: String, ending suffix: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root + folder)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(suffix) { paths.append(root + folder + "/" + path) }
        }
        return paths
    }

    func keys(in paths: [String], pattern: Regex<(Substring, Substring)>) throws -> Set<String> {
        var found: Set<String> = []
        for path in paths {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for match in text.matches(of: pattern) where !match.output.1.contains("\\(") { found.insert(String(match.output.1)) }
        }
        return found
    }

    @Test("Both languages have exactly the same keys, and the same placeholders in each text")
    func sameKeys() throws {
        let tables = try translator.tables
        let zh = try #require(tables[.zhHans]), en = try #require(tables[.en])
        #expect(Set(zh.keys).subtracting(en.keys).isEmpty, "only in Chinese: \(Set(zh.keys).subtracting(en.keys).sorted())")
        #expect(Set(en.keys).subtracting(zh.keys).isEmpty, "only in English: \(Set(en.keys).subtracting(zh.keys).sorted())")
        for (key, english) in en {
            let placeholders = { (text: Translation?) in
                Set((text?.forms ?? []).flatMap { $0.matches(of: /\{[a-z_]+\}/).map { String($0.output) } })
            }
            #expect(placeholders(english) == placeholders(zh[key]), "placeholders differ for \(key)")
            #expect(!(zh[key]?.forms ?? [""]).contains(where: \.isEmpty) && !english.forms.contains(where: \.isEmpty), "empty text for \(key)")
        }
    }

    @Test("Texts with a number give each plural form of their language, chosen by the count: 1 working day, 2 working days")
    func plurals() throws {
        let translator = try translator
        for locale in AppLocale.allCases {
            for (key, text) in translator.tables[locale] ?? [:] {
                guard case .plural(let forms) = text else { continue }
                #expect(Set(forms.keys) == locale.pluralCategories, "\(locale.rawValue): \(key) has forms \(forms.keys.sorted())")
            }
        }
        #expect(translator.text("matter.time_limit", .en, ["count": "1"]) == "1 working day")
        #expect(translator.text("matter.time_limit", .en, ["count": "2"]) == "2 working days")
        #expect(translator.text("matter.time_limit", .en, ["count": "0"]) == "0 working days")
        #expect(translator.text("matter.time_limit", .zhHans, ["count": "1"]) == "1 个工作日")
        #expect(translator.text("catalogue.results", .en, ["count": "1"]) == "1 service found")
        #expect(translator.text("signin.blocked", .en, ["count": "1"]).contains("about 1 minute and"))
        #expect(translator.text("unit.hours", .en, ["count": "24"]) == "24 hours")
    }

    @Test("Every key a template or the code uses exists")
    func usedKeysExist() throws {
        let tables = try translator.tables
        let templateKeys = try keys(in: files(under: "Resources/Views", ending: ".leaf"), pattern: /#t\("([a-z0-9_.]+)"\)/)
        let codeKeys = try keys(in: files(under: "Sources", ending: ".swift"), pattern: /(?:\bt|Key|key):? ?\(?"([a-z][a-z0-9_]*\.[a-z0-9_.]+)"/)
        #expect(templateKeys.count > 50)
        for key in templateKeys.union(codeKeys) {
            #expect(tables[.en]?[key] != nil && tables[.zhHans]?[key] != nil, "missing translation: \(key)")
        }
    }

    @Test("Keys built from enumerations exist for every case")
    func dynamicKeys() throws {
        let tables = try translator.tables
        var keys: [String] = []
        keys += AccountKind.allCases.map { "kind.\($0.rawValue)" }
        keys += StaffRole.allCases.map { "role.\($0.rawValue)" }
        keys += MatterArea.allCases.flatMap { ["area.\($0.rawValue)", "area.\($0.rawValue).summary"] }
        keys += HandlingChannel.allCases.map { "channel.\($0.rawValue)" }
        keys += IdentityLevel.allCases.map { "identity.level\($0.rawValue)" }
        keys += Department.kinds.map { "department_kind.\($0)" }
        keys += PasswordPolicy.Problem.allCases.map(\.rawValue)
        keys += CaseStatus.allCases.map { "case_status.\($0.rawValue)" }
        keys += CaseActionKind.allCases.flatMap { ["case_action.\($0.rawValue)", "timeline.\($0.rawValue)", "access.action.case.\($0.rawValue)"] }
        keys += CaseActionKind.allCases.filter { $0.role == .office }.map { "notification.case.\($0.rawValue)" }
        keys += ["notification.case.message", "notification.case.supplement_due_soon", "notification.case.supply_later_due_soon"]
        keys += ["create", "assign", "unassign", "message"].map { "timeline.\($0)" }
        keys += ["material", "supplement", "result", "attachment"].map { "timeline.document_\($0)" }
        keys += ["case.viewed", "case.created", "case.assigned", "case.message", "case.rated", "case.reminded",
                 "document.uploaded", "document.viewed"].map { "access.action.\($0)" }
        keys += ["audit.break.altered", "audit.break.broken_link", "audit.break.truncated"]
        for key in keys { #expect(tables[.en]?[key] != nil && tables[.zhHans]?[key] != nil, "missing translation: \(key)") }
    }
}

import ZeroErrandCore
