import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import SQLKit
import Vapor
import ZeroErrandCore

/// Reads the configuration from the environment and sets the app up with the real clock and randomness.
public func configure(_ app: Application) async throws {
    let root = Result {
        try ResourceRoot.find(setting: Environment.get("ZE_ROOT"), workingDirectory: app.directory.workingDirectory,
                              executable: ResourceRoot.executable)
    }
    if CommandLineUse.onlyDescribes(app.environment.arguments) {
        // `--help` and `routes` need the command list and the route table, nothing else: no
        // settings, no data folder, no database.
        if case .success(let root) = root { app.directory = DirectoryConfiguration(workingDirectory: root) }
        registerCommands(app)
        try routes(app)
        return
    }
    app.directory = DirectoryConfiguration(workingDirectory: try root.get())
    let config = try AppConfig.load(environment: app.environment, directory: app.directory)
    for warning in config.warnings { app.logger.warning("\(warning)") }
    try await configure(app, config: config, clock: .system, random: .system)
}

/// The set-up itself, with the outside world injected; tests call this with a pinned clock.
func configure(_ app: Application, config: AppConfig, clock: AppClock, random: RandomSource) async throws {
    let resources = config.resourcesDirectory
    let blocklist = try String(contentsOfFile: resources + "Security/common-passwords.txt", encoding: .utf8)
        .split(whereSeparator: \.isNewline).map(String.init)
    app.dependencies = AppDependencies(
        config: config, clock: clock, random: random,
        translator: try Translator.load(from: resources),
        passwordPolicy: PasswordPolicy(blocklist: Set(blocklist)),
        // bcrypt's cost doubles the work per step; tests use the minimum to stay fast.
        passwordHasher: PasswordHasher(key: config.secretKey, cost: config.mode == .testing ? 4 : 12),
        secrets: Secrets(key: config.secretKey),
        workingCalendar: try HolidayFile.load(resources + "Calendar/holidays-cn.yaml"),
        documents: DocumentStore(directory: config.dataDirectory + "/documents", keys: config.documentKeys, maxBytes: config.uploadLimit),
        recordingRetention: try RecordingRetention.load(resources + "Video/retention.yaml"),
        notarial: try NotarialCatalogue.load(from: resources + "Notarization/"),
        mediationCourts: try MediationCourts.load(resources + "Mediation/courts.yaml"),
        bundles: try BundleCatalogue.load(resources + "Catalogue/bundles.yaml"),
        cities: try Gazetteer.load(resources + "Catalogue/cities.yaml"),
        petitionLimits: try HolidayFile.loadPetitionLimits(resources + "Calendar/petition-limits.yaml"),
        verificationTexts: try VerificationTexts.load(resources + "Verification/texts.json"))
    app.dependencies.documents.clearIncoming()
    // Set here, before anything runs concurrently: the application's storage is not safe to fill then.
    app.metrics = AppMetrics()
    app.catalogue = CatalogueCache()

    try configureDatabase(app, config)
    if case .postgres(_, let searchPath?) = config.database, let schema = searchPath.first, let sql = app.db as? any SQLDatabase {
        // A separate schema per deployment (or per test) in one database; made on first start.
        try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
    registerMigrations(app)
    try await app.autoMigrate()
    if case .sqlite = config.database, let sql = app.db as? any SQLDatabase {
        // WAL lets readers go on while one writer commits; the setting is kept in the file.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }
    let catalogue = try CatalogueFiles.load(from: resources + "Catalogue/")
    _ = try await app.audited(.system) { db, audit in
        try await CatalogueSeeder.apply(catalogue, on: db, audit: audit)
        // Instances already running read the catalogue as this one seeded it.
        try await CatalogueCache.announceEdit(on: db, app)
    }
    // Read now, not in the first request.
    _ = try await app.catalogue.matters(on: app.db)

    _ = app.instanceID
    app.dummyPasswordHash = try await app.dependencies.passwordHasher.hash(random.token(), on: app.threadPool)

    app.views.use(.leaf)
    app.leaf.sources = .singleSource(ViewFiles(directory: resources + "Views/", fileio: app.fileio))
    app.leaf.cache.isEnabled = config.mode == .production
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["csrf"] = CSRFFieldTag()

    app.routes.defaultMaxBodySize = "1mb"
    app.http.server.configuration.idleTimeout = .milliseconds(Int64(config.idleTimeout * 1000))
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorPageMiddleware())
    let routeTable = app.routes
    app.middleware.use(MethodNotAllowedMiddleware { routeTable.all })
    app.middleware.use(FileMiddleware(publicDirectory: config.publicDirectory, defaultFile: nil))
    app.middleware.use(SessionAuthenticator())
    let multipartLimits = [SiteURL.verifyFile.path: VerificationController.maxFormBytes,
                           SiteURL.petitions.path: PetitionController.formLimit(config),
                           SiteURL.petitionReport.path: PetitionController.formLimit(config)]
    app.middleware.use(CSRFMiddleware(multipartLimit: { path in
        multipartLimits[path] ?? (ServicePointDeskController.isPhotoPath(path) ? ServicePointDeskController.photoFormBytes : nil)
    }))

    // Background work belongs to the server only: `audit-verify` must not checkpoint the very log it
    // is about to judge, and `demo` need not send mail.
    if config.mode != .testing && CommandLineUse.serves(app.environment.arguments) {
        app.lifecycle.use(OutboxWorker())
        app.lifecycle.use(AuditCheckpointWorker())
    }
    // Video rooms live in this process; other instances hear of their messages through PostgreSQL.
    let relay = VideoRelay(app)
    let clock = app.dependencies.clock
    app.videoRooms = VideoRoomHub(instance: app.instanceID, now: clock.now) { envelope in await relay?.publish(envelope) }
    if relay != nil { app.lifecycle.use(InstanceListener()) }
    app.lifecycle.use(VideoRoomsLifecycle())
    registerCommands(app)
    try routes(app)
    app.lifecycle.use(StopServingFirst())
}

private func registerCommands(_ app: Application) {
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(VerifyAuditCommand(), as: "audit-verify")
    app.asyncCommands.use(RewrapDocumentsCommand(), as: "documents-rewrap")
    app.asyncCommands.use(ExpireRecordingsCommand(), as: "recordings-expire")
    app.asyncCommands.use(SealKeysCommand(), as: "seal-keys")
    app.asyncCommands.use(VerifyCertificateCommand(), as: "verify")
}

private func configureDatabase(_ app: Application, _ config: AppConfig) throws {
    // The test suite runs a hundred apps at once on a small machine: a request may wait for a
    // connection far longer there than any real one should, and failing it would fail a test for
    // the machine's load, not for what it tests.
    let poolTimeout: TimeAmount = config.mode == .testing ? .seconds(120) : .seconds(10)
    switch config.database {
    case .sqlite(let path):
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: poolTimeout), as: .sqlite)
    case .postgres(let url, let searchPath):
        var configuration = try SQLPostgresConfiguration(url: url)
        configuration.searchPath = searchPath
        app.databases.use(.postgres(configuration: configuration, connectionPoolTimeout: poolTimeout), as: .psql)
    }
}
