import Foundation
import ZeroErrandCore

/// From `Resources/Catalogue/cities.yaml`: the cities a visitor may type to see the nearest
/// service point first. Read at start-up; a mistake stops it with the file, line and field named.
struct Gazetteer: Sendable {
    struct City: Sendable {
        var nameZh, nameEn: String
        var place: GeoPoint
        /// Every name it is found by, folded (`Gazetteer.fold`).
        var keys: Set<String>

        func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
    }

    var cities: [City]

    /// The city a visitor typed, by any of its names, ignoring case, accents and spaces around it.
    func city(named typed: String) -> City? {
        let key = Self.fold(typed)
        return key.isEmpty ? nil : cities.first { $0.keys.contains(key) }
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: { $0.isWhitespace || $0 == "-" }).joined(separator: " ")
    }

    static func load(_ path: String) throws -> Gazetteer {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
        }
        let f = YAMLFields(file: path)
        let cities = try f.entries(of: String(decoding: data, as: UTF8.self)).map { node in
            let (nameZh, nameEn) = (try f.string(node, "name_zh"), try f.string(node, "name_en"))
            let also = node["also"] == nil ? [] : try f.strings(node, "also")
            guard let place = GeoPoint(latitude: try f.number(node, "latitude", in: -90...90),
                                       longitude: try f.number(node, "longitude", in: -180...180)) else {
                throw f.invalid(node, "latitude", "is not a place on the earth")
            }
            return City(nameZh: nameZh, nameEn: nameEn, place: place, keys: Set(([nameZh, nameEn] + also).map(fold)))
        }
        return Gazetteer(cities: cities)
    }
}
