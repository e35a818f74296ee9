import Fluent
import Foundation
import ZeroErrandCore

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
    /// Near the address; nil until an administrator or the catalogue file gives it.
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    /// `OpeningHours` text on the point's own wall clock: "mon-fri 09:30-17:30; sat 10:00-14:00".
    @OptionalField(key: "hours") var hours: String?
    /// `PointOffer` raw values.
    @OptionalField(key: "offers") var offers: [String]?
    /// Sessions the point can host at once (when it offers a video room).
    @Field(key: "video_rooms") var videoRooms: Int

    init() { videoRooms = 1 }

    var openingHours: OpeningHours? { hours.flatMap { try? OpeningHours.parse($0) } }
    var offerSet: Set<PointOffer> { Set((offers ?? []).compactMap(PointOffer.init(rawValue:))) }
    var place: GeoPoint? { latitude.flatMap { latitude in longitude.flatMap { GeoPoint(latitude: latitude, longitude: $0) } } }
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// "Spain" / "西班牙" from the ISO code.
    func countryName(_ locale: AppLocale) -> String {
        Locale(identifier: locale == .zhHans ? "zh-Hans" : "en").localizedString(forRegionCode: country) ?? country
    }

    func name(_ locale: AppLocale) -> String { locale == .zhHans ? nameZh : nameEn }
    func city(_ locale: AppLocale) -> String { locale == .zhHans ? cityZh : cityEn }
}
