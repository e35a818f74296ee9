import Foundation
import NIOCore
import NIOPosix
import NIOSSL

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
