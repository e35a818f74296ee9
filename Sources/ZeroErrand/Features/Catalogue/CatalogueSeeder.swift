import Fluent
import Foundation
import ZeroErrandCore

/// Brings the database in line with the shipped files at start-up. Offices, service points and
/// matters are added when new; a matter is refreshed from the file unless an administrator has
/// edited it, because their edit is the newer word.
enum CatalogueSeeder {
    struct Outcome: Equatable { var departments = 0, servicePoints = 0, mattersAdded = 0, mattersUpdated = 0 }

    static func apply(_ files: CatalogueFiles, on database: any Database, audit: AuditTrail) async throws -> Outcome {
        var outcome = Outcome()
        var departments = Dictionary(uniqueKeysWithValues: try await Department.query(on: database).all().map { ($0.code, $0) })
        for entry in files.departments where departments[entry.code] == nil {
            let department = Department.new()
            department.code = entry.code
            department.kind = entry.kind
            department.nameZh = entry.nameZh
            department.nameEn = entry.nameEn
            department.cityZh = entry.cityZh
            department.cityEn = entry.cityEn
            department.timeZone = entry.timeZone
            try await department.create(on: database)
            departments[entry.code] = department
            outcome.departments += 1
        }
        // Parents are linked after all exist, whatever order the file lists them in.
        for entry in files.departments {
            guard let parentCode = entry.parent, let department = departments[entry.code], department.$parent.id == nil else { continue }
            department.$parent.id = departments[parentCode]?.id
            try await department.update(on: database)
        }

        let points = Dictionary(uniqueKeysWithValues: try await ServicePoint.query(on: database).all().map { ($0.code, $0) })
        for entry in files.servicePoints {
            if let point = points[entry.code] {
                // Points made before hours, places and offers were kept get them once; after that
                // the administrator's edits stand.
                guard point.hours == nil else { continue }
                point.fill(from: entry)
                try await point.update(on: database)
                continue
            }
            let point = ServicePoint()
            point.code = entry.code
            point.nameZh = entry.nameZh
            point.nameEn = entry.nameEn
            point.cityZh = entry.cityZh
            point.cityEn = entry.cityEn
            point.country = entry.country
            point.timeZone = entry.timeZone
            point.address = entry.address
            point.contactEmail = entry.contactEmail
            point.contactPhone = entry.contactPhone
            point.fill(from: entry)
            try await point.create(on: database)
            outcome.servicePoints += 1
        }

        let matters = Dictionary(uniqueKeysWithValues: try await Matter.query(on: database).all().map { ($0.code, $0) })
        for entry in files.matters {
            guard let department = departments[entry.department], let departmentID = department.id else { continue }
            if let existing = matters[entry.code] {
                guard existing.editedAt == nil else {
                    try await refreshPinyin(of: existing, from: entry, on: database)
                    continue
                }
                let before = existing.snapshot
                fill(existing, from: entry, departmentID: departmentID, departmentKind: department.kind)
                if existing.snapshot != before {
                    try await existing.update(on: database)
                    outcome.mattersUpdated += 1
                }
            } else {
                let matter = Matter()
                fill(matter, from: entry, departmentID: departmentID, departmentKind: department.kind)
                try await matter.create(on: database)
                outcome.mattersAdded += 1
            }
        }
        if outcome != Outcome() {
            try await audit.record("catalogue.loaded", "catalogue", "files", [
                "departments_added": String(outcome.departments), "service_points_added": String(outcome.servicePoints),
                "matters_added": String(outcome.mattersAdded), "matters_updated": String(outcome.mattersUpdated)])
        }
        return outcome
    }

    /// An administrator's edit is kept, but the pinyin (not on the edit form) and the search text
    /// follow the file while the Chinese name is still the file's.
    private static func refreshPinyin(of matter: Matter, from entry: CatalogueFiles.MatterEntry, on database: any Database) async throws {
        let before = (matter.namePinyin, matter.searchText)
        matter.namePinyin = matter.nameZh == entry.nameZh ? entry.namePinyin : ""
        matter.refreshSearchText()
        if (matter.namePinyin, matter.searchText) != before { try await matter.update(on: database) }
    }

    private static func fill(_ matter: Matter, from entry: CatalogueFiles.MatterEntry, departmentID: UUID, departmentKind: String) {
        matter.code = entry.code
        matter.area = entry.area
        matter.$department.id = departmentID
        matter.nameZh = entry.nameZh
        matter.nameEn = entry.nameEn
        matter.namePinyin = entry.namePinyin
        matter.descriptionZh = entry.descriptionZh
        matter.descriptionEn = entry.descriptionEn
        matter.keywordsZh = entry.keywordsZh
        matter.keywordsEn = entry.keywordsEn
        matter.channels = entry.channels
        matter.identityLevel = entry.identityLevel
        matter.timeLimitDays = entry.timeLimitDays
        matter.feeFen = entry.feeFen
        matter.feeNoteZh = entry.feeNoteZh
        matter.feeNoteEn = entry.feeNoteEn
        matter.materials = entry.materials
        matter.decidedBy = entry.decidedBy ?? DecisionRule.defaultRole(departmentKind: departmentKind)
        matter.fourEyes = entry.fourEyes
        matter.pointCheck = entry.pointCheck
        matter.refreshSearchText()
    }
}

private extension Matter {
    /// Everything the file sets, to tell whether a refresh changed anything.
    var snapshot: [String] {
        [code, area.rawValue, $department.id.uuidString, nameZh, nameEn, namePinyin, searchText, descriptionZh, descriptionEn,
         keywordsZh.joined(separator: "|"), keywordsEn.joined(separator: "|"), channels.map(\.rawValue).joined(separator: "|"),
         String(identityLevel.rawValue), String(timeLimitDays), String(feeFen), feeNoteZh, feeNoteEn,
         materials.map { "\($0.nameZh)|\($0.nameEn)|\($0.descriptionZh)|\($0.descriptionEn)|\($0.canSupplyLater)|\($0.condition?.rawValue ?? "")|\($0.providedByMandate)" }.joined(separator: "||"),
         decidedBy.rawValue, String(fourEyes), String(acceptsPointCheck)]
    }
}

extension ServicePoint {
    func fill(from entry: CatalogueFiles.ServicePointEntry) {
        latitude = entry.place.latitude
        longitude = entry.place.longitude
        hours = entry.hours.text
        offers = entry.offers.map(\.rawValue)
        videoRooms = entry.videoRooms
    }
}
