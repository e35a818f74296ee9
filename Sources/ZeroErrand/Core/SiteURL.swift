import Foundation
import Vapor

/// Every page and endpoint, used both to register routes and to build links, so a link can
/// never point at a route that does not exist.
enum SiteURL: Sendable {
    case home, healthz, language
    case register, confirmEmail
    case signIn, secondFactor, signOut, signOutEverywhere
    case forgotPassword, resetPassword
    case account, twoFactorSetup, twoFactorDisable, recoveryCodes, resendConfirmation
    case matters, matter(code: String)
    case staffHome, servicePointDesk
    case admin
    case adminDepartments, adminDepartmentNew, adminDepartment(id: String)
    case adminStaff, adminStaffNew, adminStaffMember(id: String), adminStaffSuspension(id: String)
    case adminServicePoints, adminServicePointNew, adminServicePoint(id: String)
    case adminMatter(code: String)
    case adminAudit
    case apiMatters, apiMatter(code: String)
    case openAPI

    var path: String {
        switch self {
        case .home: "/"
        case .healthz: "/healthz"
        case .language: "/language"
        case .register: "/register"
        case .confirmEmail: "/email/confirm"
        case .signIn: "/sign-in"
        case .secondFactor: "/sign-in/second-factor"
        case .signOut: "/sign-out"
        case .signOutEverywhere: "/account/sign-out-everywhere"
        case .forgotPassword: "/password/forgot"
        case .resetPassword: "/password/reset"
        case .account: "/account"
        case .twoFactorSetup: "/account/two-factor"
        case .twoFactorDisable: "/account/two-factor/disable"
        case .recoveryCodes: "/account/recovery-codes"
        case .resendConfirmation: "/account/confirmation-email"
        case .matters: "/matters"
        case .matter(let code): "/matters/\(code)"
        case .staffHome: "/office"
        case .servicePointDesk: "/service-point"
        case .admin: "/admin"
        case .adminDepartments: "/admin/departments"
        case .adminDepartmentNew: "/admin/departments/new"
        case .adminDepartment(let id): "/admin/departments/\(id)"
        case .adminStaff: "/admin/staff"
        case .adminStaffNew: "/admin/staff/new"
        case .adminStaffMember(let id): "/admin/staff/\(id)"
        case .adminStaffSuspension(let id): "/admin/staff/\(id)/suspension"
        case .adminServicePoints: "/admin/service-points"
        case .adminServicePointNew: "/admin/service-points/new"
        case .adminServicePoint(let id): "/admin/service-points/\(id)"
        case .adminMatter(let code): "/admin/matters/\(code)"
        case .adminAudit: "/admin/audit"
        case .apiMatters: "/api/v1/matters"
        case .apiMatter(let code): "/api/v1/matters/\(code)"
        case .openAPI: "/openapi.json"
        }
    }

    /// Route pattern: parameters are written `:name` when the case is built for registration.
    var route: [PathComponent] { path.pathComponents }

    func absolute(_ config: AppConfig) -> String { config.publicURL + path }
}

extension String {
    /// Safe as one query parameter value: `&`, `=`, `?` and `#` are encoded too.
    var queryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }
}

extension Request {
    func redirect(to url: SiteURL) -> Response { redirect(to: url.path, redirectType: .normal) }
}
