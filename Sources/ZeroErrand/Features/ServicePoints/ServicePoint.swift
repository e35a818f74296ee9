import Fluent
import Foundation

/// A desk abroad where assistants help citizens in person and host the video link home.
final class ServicePoint: Model, @unchecked Sendable {
    static let schema = "service_points"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "city_zh") var cityZh: String
    @Field(key: "city_en") var cityEn: String
    /// ISO 3166-1 alpha-2.
    @Field(key: "country") var country: String
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "address") var address: String
    @Field(key: "contact_email") var contactEmail: String
    @Field(key: "contact_phone") var contactPhone: String

    init() {}

    func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
    func city(_ locale: AppLocale) -> String { locale == .zhHans ? cityZh : cityEn }
}
