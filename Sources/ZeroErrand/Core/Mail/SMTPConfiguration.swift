import Foundation
import NIOCore
import NIOPosix
import NIOSSL

// MARK: - Configuration

/// How to reach and authenticate with an SMTP submission server.
public struct SMTPConfiguration: Sendable {
    public enum Security: Sendable, Hashable {
        /// No encryption at all (local sinks, trusted relays on localhost).
        case plain
        /// Plain connection upgraded with `STARTTLS`; fails if the server does not offer it.
        case startTLS
        /// Implicit TLS from the first byte ("SMTPS", usually port 465).
        case tls
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    /// Never logged, never part of `description`/`debugDescription`/`dump`.
    public var password: String?
    /// Name sent with `EHLO`/`HELO`.
    public var heloName: String
    /// Upper bound for one whole `send` (connect, TLS, dialogue, QUIT).
    public var timeout: TimeAmount
    /// TLS settings for `.startTLS` and `.tls`. Defaults to
    /// `TLSConfiguration.makeClientConfiguration()` (system trust roots, full verification).
    public var tlsConfiguration: TLSConfiguration

    /// - Parameter port: defaults to 25 (`.plain`), 587 (`.startTLS`) or 465 (`.tls`).
    public init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        timeout: TimeAmount = .seconds(30),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.port = port ?? {
            switch security {
            case .plain: 25
            case .startTLS: 587
            case .tls: 465
            }
        }()
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.tlsConfiguration = tlsConfiguration
    }
}

extension SMTPConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "SMTPConfiguration(host: \(host), port: \(port), security: \(security), "
            + "username: \(username ?? "nil"), password: \(password == nil ? "nil" : "<redacted>"), "
            + "heloName: \(heloName), timeout: \(timeout))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host,
                "port": port,
                "security": security,
                "username": username ?? "nil",
                "password": password == nil ? "nil" : "<redacted>",
                "heloName": heloName,
                "timeout": timeout,
            ],
            displayStyle: .struct
        )
    }
}

// MARK: - Errors

public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered `command` with a reply code we did not expect.
    /// `command` is only the verb (credentials are never included); `message` is the server's text.
    case unexpectedReply(command: String, code: Int, message: String)
    /// The whole send did not finish within `SMTPConfiguration.timeout`.
    case timeout
    /// The TCP connection could not be established (refused, unreachable, DNS failure, ...)
    /// or failed while in use.
    case connectionFailed(String)
    /// The server closed the connection before the dialogue finished.
    case connectionClosed
    /// TLS setup, handshake or certificate verification failed.
    case tlsFailed(String)
    /// A configured feature (STARTTLS, AUTH mechanism, SMTPUTF8) is not offered by the server.
    case unsupported(String)
    /// The server violated the protocol (malformed or unsolicited reply, data after STARTTLS).
    case protocolViolation(String)
    /// The configuration or envelope is unusable (bad HELO name, bad envelope address, no recipients).
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .unexpectedReply(command, code, message): "SMTP \(command) failed: \(code) \(message)"
        case .timeout: "SMTP timeout"
        case .connectionFailed(let reason): "SMTP connection failed: \(reason)"
        case .connectionClosed: "SMTP connection closed by server"
        case .tlsFailed(let reason): "SMTP TLS failure: \(reason)"
        case .unsupported(let what): "SMTP server does not support \(what)"
        case .protocolViolation(let what): "SMTP protocol violation: \(what)"
        case .invalidConfiguration(let what): "SMTP invalid configuration: \(what)"
        }
    }

    /// The reply code for `.unexpectedReply`, otherwise `nil`.
    public var replyCode: Int? {
        if case let .unexpectedReply(_, code, _) = self { return code }
        return nil
    }

    static func wrap(_ error: any Error) -> any Error {
        switch error {
        case let error as SMTPError: return error
        case is CancellationError: return error
        case let error as MailMessageError: return error
        case let error as NIOSSLError: return SMTPError.tlsFailed(String(describing: error))
        case let error as BoringSSLError: return SMTPError.tlsFailed(String(describing: error))
        case let error as NIOSSLExtraError: return SMTPError.tlsFailed(String(describing: error))
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return SMTPError.timeout
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed:
                return SMTPError.connectionClosed
            default: return SMTPError.connectionFailed(String(describing: error))
            }
        default: return SMTPError.connectionFailed(String(describing: error))
        }
    }
}
