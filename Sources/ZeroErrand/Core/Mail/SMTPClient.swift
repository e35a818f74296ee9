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

// MARK: - Client

/// Sends mail over SMTP (RFC 5321) using SwiftNIO.
///
/// One `send` opens one connection: greeting, EHLO (HELO fallback), optional STARTTLS + EHLO,
/// optional AUTH PLAIN/LOGIN, MAIL/RCPT/DATA, QUIT. The whole exchange is bounded by
/// `configuration.timeout`. Nothing is logged.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    public let eventLoopGroup: any EventLoopGroup
    /// Built once (loading trust roots is not free); `nil` for `.plain`.
    private let tlsContext: Result<NIOSSLContext, any Error>?

    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.tlsContext = configuration.security == .plain
            ? nil
            : Result { try NIOSSLContext(configuration: configuration.tlsConfiguration) }
    }

    /// Renders and sends `message`. Validation errors (`MailMessageError`) are thrown before
    /// connecting; everything else is an `SMTPError` (or `CancellationError`).
    /// Returns once the server accepted the message (250 after DATA); a failing QUIT afterwards
    /// is ignored, so a thrown error means the message was not accepted.
    public func send(_ message: MailMessage) async throws {
        let bytes = try message.render()
        try await sendRaw(
            bytes,
            from: message.from.address,
            recipients: message.to.map(\.address),
            requiresSMTPUTF8: message.requiresSMTPUTF8
        )
    }

    /// Sends already rendered RFC 5322 bytes (CRLF or LF line endings; dot-stuffing is applied here).
    func sendRaw(
        _ data: [UInt8],
        from: String,
        recipients: [String],
        requiresSMTPUTF8: Bool = false
    ) async throws {
        let configuration = self.configuration
        // Everything that can be checked locally is checked before connecting.
        for address in [from] + recipients {
            do {
                try MailMessage.validateAddress(address)
            } catch {
                throw SMTPError.invalidConfiguration("invalid envelope address \(address.debugDescription)")
            }
        }
        guard !recipients.isEmpty else { throw SMTPError.invalidConfiguration("no recipients") }
        guard !configuration.heloName.isEmpty,
              configuration.heloName.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else { throw SMTPError.invalidConfiguration("invalid HELO name \(configuration.heloName.debugDescription)") }
        guard (1...65535).contains(configuration.port) else {
            throw SMTPError.invalidConfiguration("invalid port \(configuration.port)")
        }
        guard configuration.timeout > .zero else {
            throw SMTPError.invalidConfiguration("timeout must be positive")
        }

        var tlsUpgrade: SMTPTLSUpgrade?
        switch tlsContext {
        case .success(let context):
            tlsUpgrade = SMTPTLSUpgrade(context: context, serverHostname: Self.sniHostname(configuration.host))
        case .failure(let error):
            throw SMTPError.tlsFailed(String(describing: error))
        case nil:
            break
        }
        try Task.checkCancellation()
        let implicitTLS = configuration.security == .tls ? tlsUpgrade : nil

        let deadline = NIODeadline.now() + configuration.timeout
        guard let bootstrap = ClientBootstrap(validatingGroup: eventLoopGroup) else {
            throw SMTPError.invalidConfiguration("event loop group is not usable with ClientBootstrap")
        }
        let failures = SMTPFailureRecorder()
        let channel: any Channel
        do {
            channel = try await bootstrap
                .connectTimeout(configuration.timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let implicitTLS {
                            try sync.addHandler(
                                NIOSSLClientHandler(context: implicitTLS.context, serverHostname: implicitTLS.serverHostname)
                            )
                        }
                        try sync.addHandler(SMTPReplyDecoder())
                        try sync.addHandler(SMTPClientHandler(failures: failures))
                    }
                }
                .connect(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            let wrapped = SMTPError.wrap(error)
            if let smtpError = wrapped as? SMTPError, smtpError == .connectionClosed {
                throw SMTPError.connectionFailed(String(describing: error))
            }
            throw wrapped
        }

        let timeoutTask = channel.eventLoop.scheduleTask(deadline: deadline) {
            channel.pipeline.fireErrorCaught(SMTPError.timeout)
        }
        defer { timeoutTask.cancel() }

        do {
            try await withTaskCancellationHandler {
                let session = SMTPSession(channel: channel)
                try await session.run(
                    configuration: configuration,
                    tlsUpgrade: configuration.security == .startTLS ? tlsUpgrade : nil,
                    from: from,
                    recipients: recipients,
                    data: data,
                    requiresSMTPUTF8: requiresSMTPUTF8
                        || !([from] + recipients).allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }
                )
            } onCancel: {
                channel.pipeline.fireErrorCaught(CancellationError())
            }
        } catch {
            channel.close(promise: nil)
            let wrapped = SMTPError.wrap(error)
            // A write racing with the teardown only sees "closed"; report why it was closed.
            if let closed = wrapped as? SMTPError, closed == .connectionClosed, let cause = failures.firstError {
                throw SMTPError.wrap(cause)
            }
            throw wrapped
        }
        // Accepted; the close (TLS close_notify) finishes on the event loop without holding the caller.
        channel.close(promise: nil)
    }

    /// SNI / certificate name: not allowed to be an IP literal (NIOSSL then verifies the IP instead).
    static func sniHostname(_ host: String) -> String? {
        var trimmed = host
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]") { trimmed = String(trimmed.dropFirst().dropLast()) }
        if (try? SocketAddress(ipAddress: trimmed, port: 0)) != nil { return nil }
        return host.hasSuffix(".") ? String(host.dropLast()) : host
    }

    /// Turns message bytes into the DATA payload: canonical CRLF line endings, dot-stuffing
    /// (RFC 5321 §4.5.2), a final CRLF, then the terminating `.` line.
    static func dataPayload(_ data: [UInt8]) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dot = UInt8(ascii: ".")
        var out: [UInt8] = []
        out.reserveCapacity(data.count + data.count / 50 + 8)
        var atLineStart = true
        var index = 0
        while index < data.count {
            let byte = data[index]
            if byte == cr || byte == lf {
                // CRLF, lone CR and lone LF all become CRLF.
                if byte == cr, index + 1 < data.count, data[index + 1] == lf { index += 1 }
                out.append(cr)
                out.append(lf)
                atLineStart = true
            } else {
                if atLineStart, byte == dot { out.append(dot) }
                out.append(byte)
                atLineStart = false
            }
            index += 1
        }
        if !atLineStart {
            out.append(cr)
            out.append(lf)
        }
        out.append(contentsOf: [dot, cr, lf])
        return out
    }
}

// MARK: - Session (command sequencing)

struct SMTPTLSUpgrade: Sendable {
    var context: NIOSSLContext
    var serverHostname: String?
}

/// ESMTP extensions advertised in an EHLO reply.
struct SMTPExtensions: Sendable, Hashable {
    var keywords: [String: [String]] = [:]

    init() {}

    init(ehloReply: SMTPReply) {
        for line in ehloReply.lines.dropFirst() {
            var parts = line.split(separator: " ").map(String.init)
            guard !parts.isEmpty else { continue }
            var keyword = parts.removeFirst().uppercased()
            if keyword.hasPrefix("AUTH=") {  // old-style "AUTH=LOGIN PLAIN"
                parts.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            keywords[keyword, default: []].append(contentsOf: parts)
        }
    }

    func supports(_ keyword: String) -> Bool { keywords[keyword.uppercased()] != nil }

    var authMechanisms: Set<String> { Set((keywords["AUTH"] ?? []).map { $0.uppercased() }) }
}

struct SMTPSession: Sendable {
    let channel: any Channel

    /// Sends one command line (or nothing, for the greeting) and waits for its reply.
    @discardableResult
    func command(
        _ line: String?,
        name: String,
        expect expected: Set<Int>,
        upgrade: SMTPTLSUpgrade? = nil
    ) async throws -> SMTPReply {
        var payload: ByteBuffer?
        if let line {
            var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
            buffer.writeString(line)
            buffer.writeString("\r\n")
            payload = buffer
        }
        return try await exchange(payload, name: name, expect: expected, upgrade: upgrade)
    }

    @discardableResult
    func exchange(
        _ payload: ByteBuffer?,
        name: String,
        expect expected: Set<Int>,
        upgrade: SMTPTLSUpgrade? = nil
    ) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let request = SMTPClientRequest(payload: payload, tlsUpgrade: upgrade, replyPromise: promise)
        channel.writeAndFlush(request).cascadeFailure(to: promise)
        let reply = try await promise.futureResult.get()
        guard expected.contains(reply.code) else {
            throw SMTPError.unexpectedReply(command: name, code: reply.code, message: reply.text)
        }
        return reply
    }

    func hello(heloName: String) async throws -> SMTPExtensions {
        let ehlo = try await command("EHLO \(heloName)", name: "EHLO", expect: Set(200..<600))
        if ehlo.code == 250 {
            return SMTPExtensions(ehloReply: ehlo)
        }
        guard (500..<600).contains(ehlo.code) else {
            throw SMTPError.unexpectedReply(command: "EHLO", code: ehlo.code, message: ehlo.text)
        }
        try await command("HELO \(heloName)", name: "HELO", expect: [250])
        return SMTPExtensions()
    }

    func run(
        configuration: SMTPConfiguration,
        tlsUpgrade: SMTPTLSUpgrade?,
        from: String,
        recipients: [String],
        data: [UInt8],
        requiresSMTPUTF8: Bool
    ) async throws {
        try await command(nil, name: "greeting", expect: [220])
        var extensions = try await hello(heloName: configuration.heloName)

        if let tlsUpgrade {
            guard extensions.supports("STARTTLS") else { throw SMTPError.unsupported("STARTTLS") }
            try await command("STARTTLS", name: "STARTTLS", expect: [220], upgrade: tlsUpgrade)
            // Everything learned before TLS is discarded (RFC 3207 §4.2).
            extensions = try await hello(heloName: configuration.heloName)
        }

        if let username = configuration.username, let password = configuration.password {
            try await authenticate(username: username, password: password, extensions: extensions)
        }

        var mailFrom = "MAIL FROM:<\(from)>"
        if requiresSMTPUTF8 {
            guard extensions.supports("SMTPUTF8") else { throw SMTPError.unsupported("SMTPUTF8") }
            mailFrom += " SMTPUTF8"
        }
        if data.contains(where: { $0 >= 0x80 }), extensions.supports("8BITMIME") {
            mailFrom += " BODY=8BITMIME"
        }
        try await command(mailFrom, name: "MAIL FROM", expect: [250])
        for recipient in recipients {
            try await command("RCPT TO:<\(recipient)>", name: "RCPT TO", expect: [250, 251])
        }
        try await command("DATA", name: "DATA", expect: [354])
        let payload = channel.allocator.buffer(bytes: SMTPClient.dataPayload(data))
        try await exchange(payload, name: "end of DATA", expect: [250])

        // The message is accepted at this point; QUIT problems must not turn into a failure
        // (callers would retry and deliver twice).
        _ = try? await command("QUIT", name: "QUIT", expect: [221])
    }

    func authenticate(username: String, password: String, extensions: SMTPExtensions) async throws {
        let mechanisms = extensions.authMechanisms
        func base64(_ string: String) -> String { Data(string.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            // RFC 4616: authzid NUL authcid NUL passwd
            try await command("AUTH PLAIN " + base64("\0\(username)\0\(password)"), name: "AUTH PLAIN", expect: [235])
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", name: "AUTH LOGIN", expect: [334])
            try await command(base64(username), name: "AUTH LOGIN (username)", expect: [334])
            try await command(base64(password), name: "AUTH LOGIN (password)", expect: [235])
        } else {
            let offered = mechanisms.isEmpty ? "none" : mechanisms.sorted().joined(separator: " ")
            throw SMTPError.unsupported("AUTH PLAIN or LOGIN (offered: \(offered))")
        }
    }
}

// MARK: - Reply model and decoder

/// One (possibly multi-line) SMTP reply.
struct SMTPReply: Sendable, Hashable {
    var code: Int
    var lines: [String]
    /// More bytes were already buffered behind this reply when it was decoded
    /// (used to detect STARTTLS response injection).
    var followedByBufferedData: Bool = false

    var text: String { lines.joined(separator: "\n") }
}

/// Incremental parser for SMTP replies: `250-first`, `250-second`, `250 last`.
struct SMTPReplyParser {
    static let maxLineLength = 4096
    static let maxLines = 512

    private var code: Int?
    private var lines: [String] = []

    /// Consumes complete lines from `buffer`; returns a reply once its last line arrived.
    mutating func parse(_ buffer: inout ByteBuffer) throws -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > Self.maxLineLength {
                    throw SMTPError.protocolViolation("reply line longer than \(Self.maxLineLength) bytes")
                }
                return nil
            }
            var line = Array(view[view.startIndex..<newline])
            buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard line.count <= Self.maxLineLength else {
                throw SMTPError.protocolViolation("reply line longer than \(Self.maxLineLength) bytes")
            }
            guard line.count >= 3, line[0..<3].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw SMTPError.protocolViolation("malformed reply line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            let lineCode = line[0..<3].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            var isLast = true
            if line.count > 3 {
                switch line[3] {
                case UInt8(ascii: "-"): isLast = false
                case UInt8(ascii: " "): isLast = true
                default:
                    throw SMTPError.protocolViolation("malformed reply line \(String(decoding: line, as: UTF8.self).debugDescription)")
                }
            }
            if let code, code != lineCode {
                throw SMTPError.protocolViolation("inconsistent codes in multi-line reply (\(code) then \(lineCode))")
            }
            code = lineCode
            lines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
            if lines.count > Self.maxLines {
                throw SMTPError.protocolViolation("reply has more than \(Self.maxLines) lines")
            }
            if isLast {
                let reply = SMTPReply(code: lineCode, lines: lines)
                code = nil
                lines = []
                return reply
            }
        }
    }
}

/// Bytes in, `SMTPReply` out.
final class SMTPReplyDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let decoded = try parser.parse(&buffer) {
                var reply = decoded
                reply.followedByBufferedData = buffer.readableBytes > 0
                context.fireChannelRead(wrapInboundOut(reply))
                if failed { return }
            }
            buffer.discardReadBytes()
        } catch {
            failed = true
            buffer.clear()
            context.fireErrorCaught(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffer.clear()
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension SMTPReplyDecoder: Sendable {}

// MARK: - Client handler (command/reply matching)

struct SMTPClientRequest: Sendable {
    /// `nil` only for the greeting, which is awaited without sending anything.
    var payload: ByteBuffer?
    /// When set and the reply is 220, TLS is inserted at the front of the pipeline
    /// before any further byte is read (STARTTLS).
    var tlsUpgrade: SMTPTLSUpgrade?
    var replyPromise: EventLoopPromise<SMTPReply>
}

/// Matches each outgoing request with the next reply, in order (no pipelining beyond that).
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPClientRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<SMTPReply>
        var tlsUpgrade: SMTPTLSUpgrade?
    }

    private let failures: SMTPFailureRecorder
    private var pending = CircularBuffer<Pending>()
    /// The greeting may arrive before the first request is written.
    private var earlyReply: SMTPReply?
    private var sawRequest = false
    private var failure: (any Error)?

    init(failures: SMTPFailureRecorder) {
        self.failures = failures
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.replyPromise.fail(failure)
            promise?.fail(failure)
            return
        }
        let firstRequest = !sawRequest
        sawRequest = true
        if firstRequest, let earlyReply {
            self.earlyReply = nil
            request.replyPromise.succeed(earlyReply)
        } else {
            pending.append(Pending(promise: request.replyPromise, tlsUpgrade: request.tlsUpgrade))
        }
        if let payload = request.payload {
            context.write(wrapOutboundOut(payload), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard failure == nil else { return }
        guard let next = pending.popFirst() else {
            if !sawRequest, earlyReply == nil {
                earlyReply = reply
            } else {
                fail(context: context, error: SMTPError.protocolViolation("unsolicited reply \(reply.code) \(reply.text)"))
            }
            return
        }
        if let upgrade = next.tlsUpgrade, reply.code == 220 {
            guard !reply.followedByBufferedData else {
                let error = SMTPError.protocolViolation("plaintext data after STARTTLS reply")
                next.promise.fail(error)
                fail(context: context, error: error)
                return
            }
            do {
                let tlsHandler = try NIOSSLClientHandler(context: upgrade.context, serverHostname: upgrade.serverHostname)
                try context.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
            } catch {
                let wrapped = SMTPError.tlsFailed(String(describing: error))
                next.promise.fail(wrapped)
                fail(context: context, error: wrapped)
                return
            }
        }
        next.promise.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failPending(SMTPError.connectionClosed)
    }

    private func failPending(_ error: any Error) {
        if failure == nil { failure = error }
        let error = failure ?? error
        while let entry = pending.popFirst() {
            entry.promise.fail(error)
        }
    }

    private func fail(context: ChannelHandlerContext, error: any Error) {
        failures.record(error)
        let alreadyFailed = failure != nil
        failPending(error)
        if !alreadyFailed {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension SMTPClientHandler: Sendable {}

/// First error that tore a connection down, readable after the pipeline is gone.
final class SMTPFailureRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func record(_ error: any Error) {
        lock.withLock {
            if self.error == nil { self.error = error }
        }
    }

    var firstError: (any Error)? {
        lock.withLock { error }
    }
}
