import Fluent
import Vapor
import ZeroErrandCore

/// `zeroerrand demo`: one account for every role in every office (clerk and supervisor
/// everywhere, the specialist roles where they belong), an assistant per service point,
/// an administrator and a citizen. Passwords are printed once and stored only hashed.
/// Refuses to run in production.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Loads demo accounts (never in production) and prints their passwords once." }

    /// Which roles an office of each kind has besides clerk and supervisor.
    static func specialistRoles(for kind: String) -> [StaffRole] {
        switch kind {
        case "notary_office": [.notary, .reviewer]
        case "court": [.mediator, .judge]
        case "letters_and_visits", "police_station", "public_security": [.reviewer]
        default: []
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard app.dependencies.config.mode != .production else {
            context.console.error("Refusing to load demo data: the app is configured for production.")
            throw Abort(.forbidden, reason: "demo data is never loaded in production")
        }
        var planned: [(email: String, name: String, kind: AccountKind, roles: [StaffRole], department: UUID?, point: UUID?, zone: String)] = []
        planned.append(("admin@demo.zeroerrand.example", "演示管理员 Demo Administrator", .admin, [], nil, nil, "Asia/Shanghai"))
        planned.append(("citizen@demo.zeroerrand.example", "杨辉 Yang Hui", .citizen, [], nil, nil, "Europe/Madrid"))
        for department in try await Department.query(on: app.db).sort(\.$code).all() {
            for role in [StaffRole.clerk, .supervisor] + Self.specialistRoles(for: department.kind) {
                planned.append(("\(role.rawValue).\(department.code)@demo.zeroerrand.example",
                                "\(department.nameZh) \(role.rawValue)", .staff, [role], department.id, nil, department.timeZone))
            }
        }
        for point in try await ServicePoint.query(on: app.db).sort(\.$code).all() {
            planned.append(("assistant.\(point.code)@demo.zeroerrand.example", "\(point.nameZh) assistant",
                            .assistant, [], nil, point.id, point.timeZone))
            planned.append(("supervisor.\(point.code)@demo.zeroerrand.example", "\(point.nameZh) supervisor",
                            .assistant, [.supervisor], nil, point.id, point.timeZone))
        }

        let existing = Set(try await Account.query(on: app.db).all().map(\.email))
        let hasher = app.dependencies.passwordHasher
        let now = app.dependencies.clock.now()
        var created: [(String, String, String)] = []
        for entry in planned where !existing.contains(entry.email) {
            let password = app.dependencies.random.token(bytes: 12)
            let account = Account(email: entry.email, displayName: entry.name, kind: entry.kind, roles: entry.roles,
                                  departmentID: entry.department, servicePointID: entry.point,
                                  passwordHash: try await hasher.hash(password, on: app.threadPool),
                                  locale: .zhHans, timeZone: entry.zone, createdAt: now)
            account.emailConfirmedAt = now
            try await app.audited(.system) { db, audit in
                try await account.create(on: db)
                try await audit.record("demo.account_created", "account", account.id!.uuidString.lowercased(), ["kind": entry.kind.rawValue])
            }
            created.append((entry.email, password, entry.roles.first?.rawValue ?? entry.kind.rawValue))
        }
        if created.isEmpty {
            context.console.print("Demo accounts already exist; nothing was changed. Passwords were printed when they were created.")
            return
        }
        context.console.print("Demo accounts (printed once; staff set up two-factor sign-in at their first sign-in):")
        for (email, password, role) in created {
            context.console.print("  \(email.padding(toLength: 62, withPad: " ", startingAt: 0)) \(password)  [\(role)]")
        }
    }
}
