import Foundation
import Yams
import ZeroErrandCore

/// Reads `Resources/Calendar/holidays-cn.yaml`; a mistake stops start-up with the file named.
enum HolidayFile {
    static func load(_ path: String) throws -> WorkingDayCalendar {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
        }
        do {
            let years = try YAMLDecoder().decode([HolidayYear].self, from: String(decoding: data, as: UTF8.self))
            return try WorkingDayCalendar(years: years)
        } catch {
            throw DataFileError(file: path, line: 0, field: "(holidays)", problem: "\(error)")
        }
    }
}
