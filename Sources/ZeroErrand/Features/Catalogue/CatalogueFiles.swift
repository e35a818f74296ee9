import Foundation
import Yams
import ZeroErrandCore

/// The catalogue and the office directory as shipped in `Resources/Catalogue/`. Read at every
/// start-up; a mistake stops start-up with the file, line and field named.
struct CatalogueFiles: Sendable {
    struct DepartmentEntry: Sendable {
        var code, kind: String
        var parent: String?
        var nameZh, nameEn, cityZh, cityEn, timeZone: String
    }

    struct ServicePointEntry: Sendable {
        var code, nameZh, nameEn, cityZh, cityEn, country, timeZone, address, contactEmail, contactPhone: String
        var place: GeoPoint
        var hours: OpeningHours
        var offers: [PointOffer]
        /// Sessions its video room(s) can host at once; 1 unless the file says more.
        var videoRooms: Int
    }

    struct MatterEntry: Sendable {
        var code: String
        var area: MatterArea
        var department: String
        var nameZh, nameEn, descriptionZh, descriptionEn: String
        /// From `matters-pinyin.yaml`; empty while the matter has none (a test insists it has).
        var namePinyin = ""
        var keywordsZh, keywordsEn: [String]
        var channels: [HandlingChannel]
        var identityLevel: IdentityLevel
        var timeLimitDays: Int
        var feeFen: Int
        var feeNoteZh, feeNoteEn: String
        var materials: [Matter.Material]
        /// Nil: the usual deciding role of the department's kind.
        var decidedBy: StaffRole?
        var fourEyes: Bool
        /// A passport checked at a service point gives level 3 for this matter.
        var pointCheck: Bool
    }

    var departments: [DepartmentEntry]
    var servicePoints: [ServicePointEntry]
    var matters: [MatterEntry]

    static func load(from directory: String) throws -> CatalogueFiles {
        let departments = try read(directory, "departments.yaml", departmentEntry)
        let points = try read(directory, "service_points.yaml", servicePointEntry)
        let matters = try read(directory, "matters.yaml", matterEntry)
        try checkReferences(departments: departments, matters: matters, directory: directory)
        let pinyin = try pinyinByCode(directory)
        return CatalogueFiles(departments: departments.map(\.1), servicePoints: points.map(\.1), matters: matters.map { _, entry in
            var entry = entry
            // Pinyin made from an older name would find the matter by words it no longer has.
            if let made = pinyin[entry.code], made.nameZh == entry.nameZh { entry.namePinyin = made.pinyin }
            return entry
        })
    }

    struct PinyinEntry: Sendable {
        var nameZh, pinyin: String
    }

    /// `matters-pinyin.yaml`, made by `scripts/matter-pinyin`: each matter's Chinese name as it was
    /// when the pinyin was made, and the pinyin.
    static func pinyinByCode(_ directory: String) throws -> [String: PinyinEntry] {
        let entries = try read(directory, "matters-pinyin.yaml") { f, node in
            (try f.string(node, "code"), PinyinEntry(nameZh: try f.string(node, "name_zh"), pinyin: try f.string(node, "pinyin")))
        }
        return Dictionary(uniqueKeysWithValues: entries.map(\.1))
    }

    private static func read<T>(_ directory: String, _ name: String,
                                _ parse: (YAMLFields, Node) throws -> T) throws -> [(Node, T)] {
        let path = directory + name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, field: "(file)", problem: "cannot be read")
        }
        let fields = YAMLFields(file: path)
        var seen: [String: Int] = [:]
        return try fields.entries(of: String(decoding: data, as: UTF8.self)).map { node in
            let code = try fields.string(node, "code")
            if let first = seen[code] {
                throw fields.invalid(node, "code", "'\(code)' is used twice (first on line \(first))")
            }
            seen[code] = node.mark?.line ?? 0
            return (node, try parse(fields, node))
        }
    }

    private static func departmentEntry(_ f: YAMLFields, _ node: Node) throws -> DepartmentEntry {
        let kind = try f.string(node, "kind")
        guard Department.kinds.contains(kind) else { throw f.invalid(node, "kind", "'\(kind)' is not a known kind of department") }
        return DepartmentEntry(code: try f.string(node, "code"), kind: kind, parent: try f.optionalString(node, "parent"),
                               nameZh: try f.string(node, "name_zh"), nameEn: try f.string(node, "name_en"),
                               cityZh: try f.string(node, "city_zh"), cityEn: try f.string(node, "city_en"),
                               timeZone: try timeZone(f, node))
    }

    private static func servicePointEntry(_ f: YAMLFields, _ node: Node) throws -> ServicePointEntry {
        let country = try f.string(node, "country")
        guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw f.invalid(node, "country", "must be a two-letter ISO 3166 code such as FR")
        }
        let hours: OpeningHours
        do { hours = try OpeningHours.parse(try f.string(node, "hours")) } catch let problem as OpeningHours.Problem {
            throw f.invalid(node, "hours", "\(problem): write it as \"mon-fri 09:30-17:30; sat 10:00-14:00\"")
        }
        let offers = try f.strings(node, "offers").map { name in
            guard let offer = PointOffer(rawValue: name) else {
                throw f.invalid(node, "offers", "'\(name)' is not one of \(PointOffer.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return offer
        }
        return ServicePointEntry(code: try f.string(node, "code"), nameZh: try f.string(node, "name_zh"), nameEn: try f.string(node, "name_en"),
                                 cityZh: try f.string(node, "city_zh"), cityEn: try f.string(node, "city_en"), country: country,
                                 timeZone: try timeZone(f, node), address: try f.string(node, "address"),
                                 contactEmail: try f.string(node, "contact_email"), contactPhone: try f.string(node, "contact_phone"),
                                 place: GeoPoint(latitude: try f.number(node, "latitude", in: -90...90),
                                                 longitude: try f.number(node, "longitude", in: -180...180))!,
                                 hours: hours, offers: offers,
                                 videoRooms: node["video_rooms"] == nil ? 1 : try f.int(node, "video_rooms", in: 1...20))
    }

    private static func matterEntry(_ f: YAMLFields, _ node: Node) throws -> MatterEntry {
        let level = try f.int(node, "identity_level", in: 1...3)
        let channelNames = try f.strings(node, "channels", nonEmpty: true)
        let channels = try channelNames.map { name in
            guard let channel = HandlingChannel(rawValue: name) else {
                throw f.invalid(node, "channels", "'\(name)' is not one of exempt, proxy, online, video, overseas_point")
            }
            return channel
        }
        guard let fee = node["fee"], fee.mapping != nil else { throw f.invalid(node, "fee", "must give amount_cny, note_zh and note_en") }
        let materialNodes = try f.list(node, "materials")
        guard (1...12).contains(materialNodes.count) else { throw f.invalid(node, "materials", "must list 1 to 12 materials") }
        let materials = try materialNodes.map { item in
            Matter.Material(nameZh: try f.string(item, "name_zh"), nameEn: try f.string(item, "name_en"),
                            descriptionZh: try f.string(item, "description_zh"), descriptionEn: try f.string(item, "description_en"),
                            canSupplyLater: try f.bool(item, "can_supply_later"),
                            condition: item["only_if"] == nil ? nil : try f.choice(item, "only_if", as: MaterialCondition.self),
                            providedByMandate: item["provided_by_mandate"] == nil ? false : try f.bool(item, "provided_by_mandate"))
        }
        let pointCheck = node["point_check"] == nil ? false : try f.bool(node, "point_check")
        if pointCheck, level != 3 || !channels.contains(.overseasPoint) {
            throw f.invalid(node, "point_check", "only a level-3 matter done at an overseas service point can accept a point's passport check")
        }
        return MatterEntry(code: try f.string(node, "code"), area: try f.choice(node, "area", as: MatterArea.self),
                           department: try f.string(node, "department"),
                           nameZh: try f.string(node, "name_zh"), nameEn: try f.string(node, "name_en"),
                           descriptionZh: try f.string(node, "description_zh"), descriptionEn: try f.string(node, "description_en"),
                           keywordsZh: try f.strings(node, "keywords_zh"), keywordsEn: try f.strings(node, "keywords_en"),
                           channels: channels, identityLevel: IdentityLevel(rawValue: level)!,
                           timeLimitDays: try f.int(node, "time_limit_days", in: 1...365),
                           feeFen: Int((try f.number(fee, "amount_cny") * 100).rounded()),
                           feeNoteZh: try f.string(fee, "note_zh"), feeNoteEn: try f.string(fee, "note_en"),
                           materials: materials,
                           decidedBy: node["decided_by"] == nil ? nil : try f.choice(node, "decided_by", as: StaffRole.self),
                           fourEyes: node["four_eyes"] == nil ? false : try f.bool(node, "four_eyes"),
                           pointCheck: pointCheck)
    }

    private static func timeZone(_ f: YAMLFields, _ node: Node) throws -> String {
        let zone = try f.string(node, "time_zone")
        guard TimeZone(identifier: zone) != nil else { throw f.invalid(node, "time_zone", "'\(zone)' is not an IANA time zone") }
        return zone
    }

    private static func checkReferences(departments: [(Node, DepartmentEntry)], matters: [(Node, MatterEntry)], directory: String) throws {
        let codes = Set(departments.map(\.1.code))
        for (node, entry) in departments {
            if let parent = entry.parent, !codes.contains(parent) {
                throw YAMLFields(file: directory + "departments.yaml").invalid(node, "parent", "'\(parent)' is not a department in this file")
            }
        }
        for (node, entry) in matters where !codes.contains(entry.department) {
            throw YAMLFields(file: directory + "matters.yaml").invalid(node, "department", "'\(entry.department)' is not in departments.yaml")
        }
    }
}
