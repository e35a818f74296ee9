import Crypto
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
@testable import ZeroErrand

/// Time that only moves when a test says so.
final class ManualClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_796_000_000)) { current = NIOLockedValueBox(start) }

    var now: Date { current.withLockedValue { $0 } }
    func advance(by seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
    var appClock: AppClock { AppClock { self.now } }
}

enum TestEnvironment {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/"

    /// Set by scripts/test for the PostgreSQL run; unset means SQLite.
    static var postgresURL: String? { ProcessInfo.processInfo.environment["ZE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Set by scripts/test, which starts a local SMTP sink.
    static var smtpPort: Int? { ProcessInfo.processInfo.environment["ZE_TEST_SMTP_PORT"].flatMap(Int.init) }
    static var hasMailSink: Bool { smtpPort != nil && ProcessInfo.processInfo.environment["ZE_TEST_MAIL_DIR"] != nil }

    static func config(dataDirectory: String, schema: String) -> AppConfig {
        let database: AppConfig.Database = postgresURL.map { .postgres(url: $0, searchPath: [schema]) }
            ?? .sqlite(path: dataDirectory + "/zeroerrand.sqlite")
        let smtp = smtpPort.map {
            SMTPConfiguration(host: "127.0.0.1", port: $0, security: .plain, username: nil, password: nil,
                              heloName: "tests.zeroerrand.local", timeout: SMTPTestEnvironment.hangGuard)
        }
        return AppConfig(mode: .testing, database: database, publicURL: "http://127.0.0.1:8080",
                         secretKey: SymmetricKey(data: Data(repeating: 7, count: 32)), smtp: smtp,
                         mailFrom: MailAddress(address: "no-reply@zeroerrand.test", name: "ZeroErrand"),
                         cookieSecure: false, resourcesDirectory: packageRoot + "Resources/", dataDirectory: dataDirectory,
                         documentKeys: try! DocumentKeys.parse("k1:" + Data(repeating: 5, count: 32).base64EncodedString()),
                         uploadLimit: 1024 * 1024)
    }
}

/// A configured app on a database of its own (a fresh SQLite file, or a fresh PostgreSQL schema),
/// with a manual clock; everything is removed afterwards.
func withTestApp(adjusting adjust: (inout AppConfig) -> Void = { _ in },
                 _ test: (Application, ManualClock) async throws -> Void) async throws {
    let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ze-test-\(id)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let schema = "t_\(id)"
    let clock = ManualClock()
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        var config = TestEnvironment.config(dataDirectory: directory, schema: schema)
        adjust(&config)
        try await configure(app, config: config, clock: clock.appClock, random: .system)
        try await test(app, clock)
    } catch {
        await cleanUp(app, schema: schema, directory: directory)
        throw error
    }
    await cleanUp(app, schema: schema, directory: directory)
}

private func cleanUp(_ app: Application, schema: String, directory: String) async {
    // A test that started the real server (for WebSockets) need not stop it itself; a no-op otherwise.
    await app.server.shutdown()
    if TestEnvironment.postgresURL != nil, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: directory)
}

/// Boots `app` and a second instance on the same database and clock (PostgreSQL), so that each
/// hears what the other announces; the test gets the second, which is shut down afterwards.
func withTwoInstances(_ app: Application, clock: ManualClock, _ test: (Application) async throws -> Void) async throws {
    let other = try await Application.make(.testing)
    other.logger.logLevel = .warning
    do {
        try await configure(other, config: app.dependencies.config, clock: clock.appClock, random: .system)
        try await app.asyncBoot()
        try await other.asyncBoot()
        try await test(other)
    } catch {
        try? await other.asyncShutdown()
        throw error
    }
    try await other.asyncShutdown()
}
