import Foundation
import ZeroErrandCore

/// From `Resources/Notarization/`: the matters done as a remote notarial act (and what their
/// certificate attests), and each notary office's certificate-number abbreviation.
struct NotarialCatalogue: Sendable {
    enum Kind: String, Sendable { case signature, fact }

    /// Matter code → what the certificate attests.
    var acts: [String: Kind]
    /// Department code → its numbering, checked when the file is read (a bad one stops start-up).
    var offices: [String: NotaryOfficeAbbreviation]

    func kind(of matterCode: String) -> Kind? { acts[matterCode] }

    static func load(from directory: String) throws -> NotarialCatalogue {
        func read(_ name: String) throws -> (YAMLFields, String) {
            let path = directory + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
            }
            return (YAMLFields(file: path), String(decoding: data, as: UTF8.self))
        }
        var catalogue = NotarialCatalogue(acts: [:], offices: [:])
        let (actFields, actText) = try read("acts.yaml")
        for entry in try actFields.entries(of: actText) {
            catalogue.acts[try actFields.string(entry, "matter")] = try actFields.choice(entry, "kind", as: Kind.self)
        }
        let (officeFields, officeText) = try read("offices.yaml")
        for entry in try officeFields.entries(of: officeText) {
            let chinese = try officeFields.string(entry, "abbreviation_zh"), english = try officeFields.string(entry, "abbreviation_en")
            guard let abbreviation = NotaryOfficeAbbreviation(chinese: chinese, pinyin: english) else {
                throw DataFileError(file: directory + "offices.yaml", line: 0, field: "abbreviation_zh",
                                    problem: "'\(chinese)' / '\(english)' is not a certificate-number abbreviation")
            }
            catalogue.offices[try officeFields.string(entry, "department")] = abbreviation
        }
        return catalogue
    }
}
