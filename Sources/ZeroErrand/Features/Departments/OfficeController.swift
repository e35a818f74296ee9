import Fluent
import Vapor
import ZeroErrandCore

/// A staff member's start page: their office, its matters, and (for supervisors) its staff.
struct OfficeController: RouteCollection {
    struct Colleague: Encodable {
        let name: String
        let roles: String
        let secondFactor: Bool
        let suspended: Bool
    }

    struct OfficePage: Encodable {
        let department: String
        let timeZone: String
        let localTime: String
        let myRoles: String
        let matters: [MatterSummary]
        let colleagues: [Colleague]?
        /// A notary office keeps a notarial journal.
        let journalPath: String?
        /// Petitions overdue in this office's hands, or (for a letters-and-visits office) anywhere it registered them.
        let petitionsOverdue: Int
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(Require(.staffWorkspace)).get(SiteURL.staffHome.route, use: home)
    }

    @Sendable func home(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let department = try await account.$department.get(on: req.db) else { throw AppError.notFound }
        let departmentID = try department.requireID()
        let matters = try await Matter.query(on: req.db).filter(\.$department.$id == departmentID).with(\.$department).sort(\.$code).all()
        var colleagues: [Colleague]?
        if AccessPolicy.allows(req.actor, .viewDepartmentStaff(departmentID: departmentID)) {
            colleagues = try await Account.query(on: req.db).filter(\.$department.$id == departmentID).sort(\.$displayName).all().map {
                Colleague(name: $0.displayName, roles: $0.roles.map { req.t("role.\($0.rawValue)") }.joined(separator: ", "),
                          secondFactor: $0.hasSecondFactor, suspended: $0.suspendedAt != nil)
            }
        }
        let today = req.petitions.today.description
        let petitionsOverdue = try await Petition.query(on: req.db).filter(\.$dueOn < today)
            .group(.or) { $0.filter(\.$holder.$id == departmentID).filter(\.$registrar.$id == departmentID) }.count()
        let zone = TimeZone(identifier: department.timeZone) ?? req.viewerTimeZone
        let page = OfficePage(department: department.name(req.locale), timeZone: department.timeZone,
                              localTime: TimeDisplay.format(req.now, in: zone),
                              myRoles: account.roles.map { req.t("role.\($0.rawValue)") }.joined(separator: ", "),
                              matters: matters.map(req.summary(of:)), colleagues: colleagues,
                              journalPath: req.dependencies.notarial.offices[department.code] == nil ? nil : SiteURL.officeNotaryJournal.path,
                              petitionsOverdue: petitionsOverdue)
        return try await req.page("office/home", page, title: "office.title")
    }
}
