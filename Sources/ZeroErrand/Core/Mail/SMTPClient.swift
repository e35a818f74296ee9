import Foundation
import NIOCore
import NIOPosix
import NIOSSL

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
