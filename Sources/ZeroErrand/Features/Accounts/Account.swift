import Fluent
import Foundation
import ZeroErrandCore

/// A person who signs in: a citizen abroad, a staff member, a service-point assistant or an administrator.
final class Account: Model, @unchecked Sendable {
    static let schema = "accounts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "kind") var kind: AccountKind
    @Field(key: "roles") var roles: [StaffRole]
    @OptionalParent(key: "department_id") var department: Department?
    @OptionalParent(key: "service_point_id") var servicePoint: ServicePoint?
    /// Nil until an invited staff member chooses a password.
    @OptionalField(key: "password_hash") var passwordHash: String?
    @OptionalField(key: "email_confirmed_at") var emailConfirmedAt: Date?
    @OptionalField(key: "identity_verified_at") var identityVerifiedAt: Date?
    /// The official and office whose recorded check gave level 3.
    @OptionalField(key: "identity_verified_by") var identityVerifiedBy: UUID?
    @OptionalField(key: "identity_verified_department") var identityVerifiedDepartment: UUID?
    /// The latest passport check in person at a service point (`PassportCheck`), and the day its
    /// passport runs out: level 3 where the matter accepts such a check, until then.
    @OptionalField(key: "point_check_id") var pointCheckID: UUID?
    @OptionalField(key: "point_checked_until") var pointCheckedUntil: String?
    @Field(key: "locale") var locale: String
    @Field(key: "time_zone") var timeZone: String
    /// The TOTP secret, sealed with the app key (see `SecretBox`).
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// The last TOTP time step accepted, so a code cannot be replayed.
    @OptionalField(key: "totp_last_counter") var totpLastCounter: Int64?
    @OptionalField(key: "suspended_at") var suspendedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Every column, for fixed SQL text that reads accounts (see `ModelColumns`).
    static let columns = ModelColumns<Account> {
        [$0.$id, $0.$email, $0.$displayName, $0.$kind, $0.$roles, $0.$department, $0.$servicePoint, $0.$passwordHash,
         $0.$emailConfirmedAt, $0.$identityVerifiedAt, $0.$identityVerifiedBy, $0.$identityVerifiedDepartment,
         $0.$pointCheckID, $0.$pointCheckedUntil, $0.$locale, $0.$timeZone, $0.$totpSecret, $0.$totpLastCounter,
         $0.$suspendedAt, $0.$createdAt]
    }

    init(id: UUID? = nil, email: String, displayName: String, kind: AccountKind, roles: [StaffRole] = [],
         departmentID: UUID? = nil, servicePointID: UUID? = nil, passwordHash: String?, locale: AppLocale,
         timeZone: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.kind = kind
        self.roles = roles
        self.$department.id = departmentID
        self.$servicePoint.id = servicePointID
        self.passwordHash = passwordHash
        self.locale = locale.rawValue
        self.timeZone = timeZone
        self.createdAt = createdAt
    }

    var hasSecondFactor: Bool { totpSecret != nil }

    /// Staff, assistants and administrators may not work without a second factor.
    var mustUseSecondFactor: Bool { kind != .citizen }

    /// From checked facts only: nothing without a confirmed address (whoever typed it may not own
    /// it); level 3 only from an office's recorded check (see `VideoOutcomeRules`).
    var identityLevel: IdentityLevel? {
        guard emailConfirmedAt != nil else { return nil }
        if identityVerifiedAt != nil, identityVerifiedBy != nil, identityVerifiedDepartment != nil { return .videoVerified }
        if hasSecondFactor { return .twoFactor }
        return .emailConfirmed
    }

    /// The level this person holds for `matter` on `today` (at home): as `identityLevel`, and
    /// level 3 from a passport checked at a service point too when the matter accepts that and the
    /// passport is still valid.
    func identityLevel(for matter: Matter, today: CivilDay) -> IdentityLevel? {
        identityStanding(today: today).level(acceptingPointCheck: matter.acceptsPointCheck)
    }

    func identityStanding(today: CivilDay) -> IdentityStanding {
        IdentityStanding(emailConfirmed: emailConfirmedAt != nil, twoFactor: hasSecondFactor,
                         videoChecked: identityVerifiedAt != nil && identityVerifiedBy != nil && identityVerifiedDepartment != nil,
                         pointChecked: pointCheckID != nil && (pointCheckedUntil.flatMap(CivilDay.init).map { $0 >= today } ?? false))
    }

    var actor: Actor {
        Actor(accountID: id!, kind: kind, roles: Set(roles), departmentID: $department.id, servicePointID: $servicePoint.id)
    }

    var appLocale: AppLocale { AppLocale(tag: locale) ?? .zhHans }

    /// The zone the person's times are shown in (UTC, named, if the stored one is unknown).
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }
}
