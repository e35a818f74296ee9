import Fluent
import Foundation
import ZeroErrandCore

/// A passport an assistant checked in person at a service point's desk: the visitor was there, the
/// photo matched, the machine-readable zone's check digits held. The MRZ is sealed (it holds the
/// passport number and birth date); lists show the masked number only.
final class PassportCheck: Model, @unchecked Sendable {
    static let schema = "passport_checks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "visitor_id") var visitor: Account
    @Parent(key: "point_id") var point: ServicePoint
    @Parent(key: "assistant_id") var assistant: Account
    @Field(key: "mrz") var mrzSealed: String
    /// "E1****678".
    @Field(key: "document_masked") var documentMasked: String
    /// As the passport prints it in Latin letters ("WANG XIULAN"), for the office to compare.
    @Field(key: "holder_name") var holderName: String
    /// The passport's expiry day; the check gives level 3 only while the passport is valid.
    @Field(key: "expires_on") var expiresOn: String
    @Field(key: "checked_at") var checkedAt: Date

    init() {}

    func isValid(on day: CivilDay) -> Bool { CivilDay(expiresOn).map { $0 >= day } ?? false }

    static func mask(_ number: String) -> String {
        guard number.count > 5 else { return String(repeating: "*", count: number.count) }
        return String(number.prefix(2)) + String(repeating: "*", count: number.count - 5) + String(number.suffix(3))
    }
}
