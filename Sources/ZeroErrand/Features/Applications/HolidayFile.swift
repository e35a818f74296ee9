import Foundation
import Yams
import ZeroErrandCore

/// Reads the calendar data files: `Resources/Calendar/holidays-cn.yaml` and the petition limits
/// counted on it. A mistake stops start-up with the file named.
enum HolidayFile {
    static func load(_ path: String) throws -> WorkingDayCalendar {
        let years: [HolidayYear] = try decode(path, field: "(holidays)")
        do {
            return try WorkingDayCalendar(years: years)
        } catch {
            throw DataFileError(file: path, line: 0, field: "(holidays)", problem: "\(error)")
        }
    }

    /// Reads `Resources/Calendar/petition-limits.yaml`, beside the holidays it is counted on.
    static func loadPetitionLimits(_ path: String) throws -> PetitionTimeLimits {
        let limits: PetitionTimeLimits = try decode(path, field: "(limits)")
        if let problem = limits.problem { throw DataFileError(file: path, line: 0, field: "(limits)", problem: problem) }
        return limits
    }

    private static func decode<Value: Decodable>(_ path: String, field: String) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
        }
        do {
            return try YAMLDecoder().decode(Value.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw DataFileError(file: path, line: 0, field: field, problem: "\(error)")
        }
    }
}
