import Foundation
import ZeroErrandCore

/// From `Resources/Mediation/courts.yaml`: the courts that mediate on the platform and the code
/// each puts into its case numbers, checked when the file is read (a bad one stops start-up).
struct MediationCourts: Sendable {
    /// The catalogue matters of the journey: mediation itself, and where a party goes next.
    static let mediationMatter = "JU-CT-001"
    static let lawsuitMatter = "JU-CT-002"
    /// What a confirmation ruling is the result of, as the verification pages name it.
    static let confirmationMatter = "JU-CT-003"
    static let enforcementMatter = "JU-CT-004"
    /// The request's materials served on every party with the papers (the application and the
    /// evidence, by their place in the matter's list); the filer's identity document and the
    /// contact sheet stay with the court. A test holds these to the catalogue's names.
    static let servedMaterials: Set<Int> = [0, 2]

    /// Department code → the court's code.
    var codes: [String: CourtCode]

    func code(of court: Department) -> CourtCode? { codes[court.code] }

    static func load(_ path: String) throws -> MediationCourts {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
        }
        let fields = YAMLFields(file: path)
        var courts = MediationCourts(codes: [:])
        for entry in try fields.entries(of: String(decoding: data, as: UTF8.self)) {
            let chinese = try fields.string(entry, "code_zh"), english = try fields.string(entry, "code_en")
            guard let code = CourtCode(chinese: chinese, english: english) else {
                throw DataFileError(file: path, line: 0, field: "code_zh", problem: "'\(chinese)' / '\(english)' is not a court code")
            }
            courts.codes[try fields.string(entry, "department")] = code
        }
        return courts
    }
}
