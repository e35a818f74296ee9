import Crypto
import Foundation
import NIOCore
import Vapor
import ZeroErrandCore

/// Every setting the app reads, validated once at start-up. A missing or malformed setting
/// stops start-up with a message naming it (see `.env.example`).
struct AppConfig: Sendable {
    enum Mode: String, Sendable { case development, testing, production }
    enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String, searchPath: [String]?)
    }

    var mode: Mode
    var database: Database
    /// Used to build links in emails, e.g. `https://zeroerrand.example`.
    var publicURL: String
    /// Keys TOTP secret encryption and token hashing. 32 random bytes.
    var secretKey: SymmetricKey
    /// Without SMTP (development only) mail is written to `data/outbox/` instead of being sent.
    var smtp: SMTPConfiguration?
    var mailFrom: MailAddress
    var cookieSecure: Bool
    /// `<root>/Resources/`, the root found by `ResourceRoot`; `Public/` is its sibling.
    var resourcesDirectory: String
    var dataDirectory: String
    /// Master keys for documents at rest, newest first (`ZE_DOCUMENT_KEYS`).
    var documentKeys: DocumentKeys
    /// Largest accepted upload, in bytes (`ZE_UPLOAD_LIMIT_MB`, default 20 MiB).
    var uploadLimit: Int
    /// All files of one case together, in bytes (`ZE_CASE_QUOTA_MB`, default 200 MiB).
    var caseQuota = 200 * 1024 * 1024
    var video = VideoConfig()
    /// A connection with no bytes either way for this long is closed (`ZE_IDLE_TIMEOUT_SECONDS`,
    /// default 120): a client that holds a socket open and silent (a stray `Upgrade` header leaves
    /// Vapor's connection waiting for ever) costs a descriptor for two minutes, not for good. It
    /// also bounds how long a request may work without sending a byte. Room sockets are pinged
    /// more often than this.
    var idleTimeout: TimeInterval = 120
    /// Where signed audit checkpoints are written (`ZE_AUDIT_CHECKPOINT_DIR`; empty means
    /// data/audit-checkpoints); best on another disk or a mount that is backed up elsewhere.
    var auditCheckpointDirectory = ""
    /// An auditor who receives a checkpoint by mail at most hourly (`ZE_AUDIT_CHECKPOINT_MAIL`).
    var auditCheckpointMail: MailAddress?
    /// Reverse proxies in front of the app (`ZE_TRUSTED_PROXIES`, comma-separated addresses): only
    /// from these is `X-Forwarded-For` believed, so throttles and the audit log see the real client.
    var trustedProxies: Set<String> = []
    /// Client addresses that may read `GET /metrics` (`ZE_METRICS_ALLOW`, comma-separated; this
    /// machine by default). Behind a proxy the client is the forwarded one, so a request relayed
    /// from outside is never taken for this machine's own.
    var metricsAllowed: Set<String> = ["127.0.0.1", "::1"]
    /// Settings that work but deserve a word at start-up (logged by `configure`).
    var warnings: [String] = []

    /// Stylesheets, scripts and images served as they are.
    var publicDirectory: String {
        URL(fileURLWithPath: resourcesDirectory).deletingLastPathComponent().appendingPathComponent("Public").path + "/"
    }

    struct Invalid: Error, CustomStringConvertible {
        let setting: String
        let problem: String
        var description: String { "ZeroErrand cannot start: setting \(setting) \(problem)" }
    }

    /// `values` is the process environment in production; tests pass their own.
    static func load(environment: Vapor.Environment, values: [String: String] = ProcessInfo.processInfo.environment,
                     directory: DirectoryConfiguration) throws -> AppConfig {
        let mode: Mode = environment.isRelease || environment.name == "production" ? .production
            : (environment == .testing ? .testing : .development)
        let get = { (name: String) -> String? in
            guard let value = values[name], !value.isEmpty else { return nil }
            return value
        }
        func required(_ name: String, _ meaning: String) throws -> String {
            guard let value = get(name) else { throw Invalid(setting: name, problem: "is missing: \(meaning)") }
            return value
        }
        let dataDirectory = get("ZE_DATA_DIR") ?? directory.workingDirectory + "data"

        let database: Database
        if let url = get("DATABASE_URL") {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw Invalid(setting: "DATABASE_URL", problem: "must be a postgres:// URL")
            }
            database = .postgres(url: url, searchPath: get("ZE_DATABASE_SCHEMA").map { [$0] })
        } else {
            database = .sqlite(path: get("ZE_SQLITE_PATH") ?? dataDirectory + "/zeroerrand.sqlite")
        }

        let secretKey: SymmetricKey
        if let encoded = get("ZE_SECRET_KEY") {
            guard let bytes = Data(base64Encoded: encoded), bytes.count == 32 else {
                throw Invalid(setting: "ZE_SECRET_KEY", problem: "must be 32 random bytes in base64 (openssl rand -base64 32)")
            }
            secretKey = SymmetricKey(data: bytes)
        } else if mode == .production {
            throw Invalid(setting: "ZE_SECRET_KEY", problem: "is missing: production needs 32 random bytes in base64 (openssl rand -base64 32)")
        } else {
            secretKey = try developmentSecret(in: dataDirectory)
        }

        var warnings: [String] = []
        var smtp: SMTPConfiguration?
        if let host = get("SMTP_HOST") {
            let portText = get("SMTP_PORT") ?? "587"
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw Invalid(setting: "SMTP_PORT", problem: "must be a port number, not \(portText)")
            }
            let securityText = get("SMTP_SECURITY") ?? "starttls"
            let security: SMTPConfiguration.Security
            switch securityText {
            case "starttls": security = .startTLS
            case "tls": security = .tls
            case "none": security = .plain
            default: throw Invalid(setting: "SMTP_SECURITY", problem: "must be starttls, tls or none")
            }
            if mode == .production && security == .plain {
                if get("SMTP_USERNAME") != nil || get("SMTP_PASSWORD") != nil {
                    throw Invalid(setting: "SMTP_SECURITY", problem: "is none, but SMTP credentials are set: production never sends a mail password unencrypted; use starttls or tls")
                }
                warnings.append("SMTP_SECURITY=none: mail (with sign-in and reset links) leaves this server unencrypted; use it only to a relay on the same host")
            }
            smtp = SMTPConfiguration(host: host, port: port, security: security, username: get("SMTP_USERNAME"),
                                     password: get("SMTP_PASSWORD"), heloName: get("SMTP_HELO") ?? "zeroerrand.local",
                                     timeout: .seconds(30))
        } else if mode == .production {
            throw Invalid(setting: "SMTP_HOST", problem: "is missing: production must send mail through an SMTP server")
        }

        let publicURL = mode == .production ? try required("ZE_PUBLIC_URL", "the https:// address people reach the app at")
            : (get("ZE_PUBLIC_URL") ?? listeningURL(arguments: environment.arguments))
        guard publicURL.hasPrefix("https://") || (mode != .production && publicURL.hasPrefix("http://")) else {
            throw Invalid(setting: "ZE_PUBLIC_URL", problem: "must start with https:// in production")
        }
        let fromText = mode == .production ? try required("MAIL_FROM", "the sender address of outgoing mail")
            : (get("MAIL_FROM") ?? "no-reply@zeroerrand.localhost")
        guard EmailAddress.normalize(fromText) != nil else {
            throw Invalid(setting: "MAIL_FROM", problem: "must be an email address")
        }

        let documentKeys: DocumentKeys
        if let text = get("ZE_DOCUMENT_KEYS") {
            documentKeys = try DocumentKeys.parse(text)
        } else if mode == .production {
            throw Invalid(setting: "ZE_DOCUMENT_KEYS", problem: "is missing: production needs a master key for documents, e.g. k1:$(openssl rand -base64 32)")
        } else {
            documentKeys = try developmentDocumentKeys(in: dataDirectory)
        }
        let limitText = get("ZE_UPLOAD_LIMIT_MB") ?? "20"
        guard let megabytes = Int(limitText), (1...1024).contains(megabytes) else {
            throw Invalid(setting: "ZE_UPLOAD_LIMIT_MB", problem: "must be a whole number of MiB from 1 to 1024, not \(limitText)")
        }

        let idleText = get("ZE_IDLE_TIMEOUT_SECONDS") ?? "120"
        guard let idle = Int(idleText), (30...3600).contains(idle) else {
            throw Invalid(setting: "ZE_IDLE_TIMEOUT_SECONDS", problem: "must be a number of seconds from 30 to 3600, not \(idleText)")
        }
        let auditorText = get("ZE_AUDIT_CHECKPOINT_MAIL")
        if let auditorText, EmailAddress.normalize(auditorText) == nil {
            throw Invalid(setting: "ZE_AUDIT_CHECKPOINT_MAIL", problem: "must be an email address")
        }
        let quotaText = get("ZE_CASE_QUOTA_MB") ?? "200"
        guard let quota = Int(quotaText), (1...102_400).contains(quota), quota >= megabytes else {
            throw Invalid(setting: "ZE_CASE_QUOTA_MB", problem: "must be a whole number of MiB from ZE_UPLOAD_LIMIT_MB to 102400, not \(quotaText)")
        }

        return AppConfig(mode: mode, database: database, publicURL: publicURL.trimmingSuffix("/"),
                         secretKey: secretKey, smtp: smtp, mailFrom: MailAddress(address: fromText, name: "ZeroErrand"),
                         cookieSecure: mode == .production, resourcesDirectory: directory.resourcesDirectory,
                         dataDirectory: dataDirectory, documentKeys: documentKeys, uploadLimit: megabytes * 1024 * 1024,
                         caseQuota: quota * 1024 * 1024,
                         video: try VideoConfig.load(get), idleTimeout: TimeInterval(idle),
                         auditCheckpointDirectory: get("ZE_AUDIT_CHECKPOINT_DIR") ?? "",
                         auditCheckpointMail: auditorText.map { MailAddress(address: $0, name: "Auditor") },
                         trustedProxies: Set((get("ZE_TRUSTED_PROXIES") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                             .filter { !$0.isEmpty }),
                         metricsAllowed: Set((get("ZE_METRICS_ALLOW") ?? "127.0.0.1,::1").split(separator: ",")
                             .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
                         warnings: warnings)
    }

    /// Development keeps its document master keys under data/, like its secret; rotation appends there.
    static func developmentDocumentKeys(in dataDirectory: String) throws -> DocumentKeys {
        let path = dataDirectory + "/development-document-keys"
        if let data = FileManager.default.contents(atPath: path) {
            return try DocumentKeys.parse(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let keys = DocumentKeys(current: MasterKey(id: "k1", key: SymmetricKey(size: .bits256)), all: [:])
        let text = "k1:" + keys.current.key.withUnsafeBytes { Data($0) }.base64EncodedString()
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Invalid(setting: "ZE_DATA_DIR", problem: "is not writable: \(dataDirectory)")
        }
        return try DocumentKeys.parse(text)
    }

    /// Development keeps a random key under data/ so sessions survive restarts; never used in production.
    private static func developmentSecret(in dataDirectory: String) throws -> SymmetricKey {
        let path = dataDirectory + "/development-secret.key"
        if let data = FileManager.default.contents(atPath: path), data.count == 32 {
            return SymmetricKey(data: data)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw Invalid(setting: "ZE_DATA_DIR", problem: "is not writable: \(dataDirectory)")
        }
        return key
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

extension AppConfig {
    /// In development, links in mail point where `serve` actually listens (`--hostname`, `--port`,
    /// `--bind`), so a server started on another port still sends working links.
    static func listeningURL(arguments: [String]) -> String {
        var host = "127.0.0.1", port = "8080"
        for (index, argument) in arguments.enumerated() {
            let value = arguments.indices.contains(index + 1) ? arguments[index + 1] : nil
            switch argument {
            case "--hostname", "-H": host = value ?? host
            case "--port", "-p": port = value ?? port
            case "--bind", "-b":
                if let value, let colon = value.lastIndex(of: ":") {
                    host = String(value[..<colon])
                    port = String(value[value.index(after: colon)...])
                }
            default: break
            }
        }
        // A server listening on every interface is reached on this machine through loopback.
        if host == "0.0.0.0" || host == "::" || host.isEmpty { host = "127.0.0.1" }
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        return "http://\(host):\(port)"
    }
}
