import Fluent
import Foundation
import SQLKit
import ZeroErrandCore

/// An office at home that works matters: a police station, a notary office, a court, ...
final class Department: Model, @unchecked Sendable {
    static let schema = "departments"

    static let kinds = ["public_security", "police_station", "notary_office", "court", "overseas_chinese_affairs",
                        "letters_and_visits", "real_estate_registry", "people_government", "people_government", "vehicle_administration", "civil_affairs",
                        "social_security", "medical_insurance", "tax", "justice_bureau"]

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "kind") var kind: String
    @OptionalParent(key: "parent_id") var parent: Department?
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "city_zh") var cityZh: String
    @Field(key: "city_en") var cityEn: String
    /// Staff of the office see times in this zone; legal deadlines count its working days.
    @Field(key: "time_zone") var timeZone: String
    /// Video appointments: how many hours ahead a slot must be booked, and until how many hours
    /// before it a citizen may still move or cancel it.
    @Field(key: "booking_notice_hours") var bookingNoticeHours: Int
    @Field(key: "change_notice_hours") var changeNoticeHours: Int

    init() {}

    /// Every column, for fixed SQL text that joins the office (see `ModelColumns`).
    static let columns = ModelColumns<Department> {
        [$0.$id, $0.$code, $0.$kind, $0.$parent, $0.$nameZh, $0.$nameEn, $0.$cityZh, $0.$cityEn, $0.$timeZone,
         $0.$bookingNoticeHours, $0.$changeNoticeHours]
    }

    var bookingRules: BookingRules { BookingRules(bookingNoticeHours: bookingNoticeHours, changeNoticeHours: changeNoticeHours) }
    var zone: TimeZone { Self.zone(timeZone) }

    /// An office's zone by its stored name (Shanghai's, should the name ever be unknown).
    static func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier) ?? TimeZone(identifier: "Asia/Shanghai")! }

    /// Only the office's zone, for a page that needs nothing else of it (the queue reads it on every
    /// request; the whole model decoded through Fluent cost more than the statement).
    static func zone(of id: UUID, on sql: any SQLDatabase) async throws -> TimeZone? {
        try await sql.raw("SELECT time_zone FROM departments WHERE id = \(bind: id)").first()
            .map { zone(try $0.decode(column: "time_zone", as: String.self)) }
    }

    /// A new office starts with the default notice rules.
    static func new() -> Department {
        let department = Department()
        department.bookingNoticeHours = 2
        department.changeNoticeHours = 12
        return department
    }

    func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
    func city(_ locale: AppLocale) -> String { locale == .zhHans ? cityZh : cityEn }
}
