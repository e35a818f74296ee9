import Foundation
import Yams
import ZeroErrandCore

/// From `Resources/Catalogue/bundles.yaml`: the requests done by several offices as one (一件事).
/// Read at start-up; a mistake stops it with the file, line and field named. That every part
/// names a matter of the catalogue, and every material it names is that matter's, a test checks.
struct BundleCatalogue: Sendable {
    struct Part: Sendable {
        var matterCode: String
        /// Material name (name_zh) → the index of the earlier part whose result provides it.
        var fromParts: [String: Int]
    }

    struct Definition: Sendable {
        var code: String
        var nameZh, nameEn, descriptionZh, descriptionEn: String
        var rule: BundleRefusalRule
        var parts: [Part]

        func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
        func description(_ locale: AppLocale) -> String { locale == .zhHans ? descriptionZh : descriptionEn }
    }

    var definitions: [Definition]

    func definition(_ code: String?) -> Definition? { definitions.first { $0.code == code } }

    /// The bundles a matter is a part of.
    func containing(matter code: String) -> [Definition] {
        definitions.filter { $0.parts.contains { $0.matterCode == code } }
    }

    static func load(_ path: String) throws -> BundleCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
        }
        let fields = YAMLFields(file: path)
        var definitions: [Definition] = []
        for entry in try fields.entries(of: String(decoding: data, as: UTF8.self)) {
            let code = try fields.string(entry, "code")
            guard code.range(of: "^[a-z][a-z0-9-]{1,40}$", options: .regularExpression) != nil else {
                throw fields.invalid(entry, "code", "must be lower-case letters, digits and hyphens")
            }
            guard !definitions.contains(where: { $0.code == code }) else { throw fields.invalid(entry, "code", "'\(code)' is used twice") }
            let partNodes = try fields.list(entry, "parts")
            guard partNodes.count >= 2 else { throw fields.invalid(entry, "parts", "a bundle has at least two parts") }
            var parts: [Part] = []
            for (index, node) in partNodes.enumerated() {
                var fromParts: [String: Int] = [:]
                if let mapping = node["from_parts"]?.mapping {
                    for (key, value) in mapping {
                        // Numbered from 1 in the file, as people count parts.
                        guard let name = key.string, let number = value.int, (1...index).contains(number) else {
                            throw fields.invalid(node, "from_parts", "each material names an earlier part by its number (from 1)")
                        }
                        fromParts[name] = number - 1
                    }
                }
                parts.append(Part(matterCode: try fields.string(node, "matter"), fromParts: fromParts))
            }
            definitions.append(Definition(code: code, nameZh: try fields.string(entry, "name_zh"), nameEn: try fields.string(entry, "name_en"),
                                          descriptionZh: try fields.string(entry, "description_zh"),
                                          descriptionEn: try fields.string(entry, "description_en"),
                                          rule: try fields.choice(entry, "rule", as: BundleRefusalRule.self), parts: parts))
        }
        return BundleCatalogue(definitions: definitions)
    }
}
