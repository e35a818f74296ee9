import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import ZeroErrand

// MARK: - Environment

enum SMTPTestEnvironment {
    static var port: Int? {
        ProcessInfo.processInfo.environment["ZE_TEST_SMTP_PORT"].flatMap { Int($0) }
    }

    static var isConfigured: Bool {
        port != nil && ProcessInfo.processInfo.environment["ZE_TEST_MAIL_DIR"] != nil
    }

    /// Only a guard against a hang, never a speed bound: the whole suite starts at once on two
    /// cores, and CI has seen a plain delivery to the sink wait over 30 seconds for its turn.
    static let hangGuard: TimeAmount = .seconds(300)

    static func sinkClient() -> SMTPClient {
        SMTPClient(
            configuration: SMTPConfiguration(
                host: "127.0.0.1",
                port: port ?? 2525,
                security: .plain,
                heloName: "zeroerrand.test",
                timeout: hangGuard
            ),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
    }

    /// A fresh address per test, so tests never read each other's mail.
    static func uniqueAddress(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased())@example.test"
    }
}

// MARK: - Against the local sink (scripts/smtp_sink.py)

@Suite("SMTP client against the local sink", .enabled(if: SMTPTestEnvironment.isConfigured))
struct SMTPClientSinkTests {
    @Test("Chinese subject and body arrive intact, including a line starting with a dot")
    func chineseMessage() async throws {
        let recipient = SMTPTestEnvironment.uniqueAddress("zh")
        let subject = "欢迎加入零差事！请确认您的电子邮件地址，这个主题足够长，需要拆分成多个编码字 ✅"
        let body = """
            您好，张三：

            感谢注册零差事。请点击下面的链接确认您的邮箱：
            https://zeroerrand.example/confirm?token=abc123
            .这一行以点开头（点填充测试）
            .
            ..两个点
            祝好
            """
        let message = MailMessage(
            from: MailAddress(address: "noreply@zeroerrand.example", name: "零差事"),
            to: [MailAddress(address: recipient, name: "张三")],
            subject: subject,
            textBody: body
        )
        try await SMTPTestEnvironment.sinkClient().send(message)

        let mail = try await MailSink.latestMessage(to: recipient)
        #expect(mail.to == [recipient])
        #expect(mail.envelopeFrom == "noreply@zeroerrand.example")
        #expect(mail.subject == subject)
        #expect(mail.text == body)
        #expect(mail.html == nil)
        #expect(mail.from == "零差事 <noreply@zeroerrand.example>")
        #expect(mail.toHeader == "张三 <\(recipient)>")
        #expect(mail.links == ["https://zeroerrand.example/confirm?token=abc123"])
        #expect(mail.header("MIME-Version") == "1.0")
        #expect(mail.header("Message-ID")?.hasSuffix("@zeroerrand.example>") == true)
    }

    @Test("English message with an HTML alternative arrives intact")
    func englishMultipartMessage() async throws {
        let recipient = SMTPTestEnvironment.uniqueAddress("en")
        let other = SMTPTestEnvironment.uniqueAddress("en-cc")
        let body = "Hello Alice,\n\n.leading dot line\nPlease confirm: https://zeroerrand.example/c/xyz\n\n-- \nZeroErrand"
        let html = "<p>Hello Alice,</p>\n<p><a href=\"https://zeroerrand.example/c/xyz\">Confirm</a></p>"
        let message = MailMessage(
            from: MailAddress(address: "noreply@zeroerrand.example", name: "ZeroErrand \"Support\""),
            to: [MailAddress(address: recipient, name: "Alice"), MailAddress(address: other)],
            subject: "Please confirm your e-mail address for ZeroErrand, this subject is long enough to be folded",
            textBody: body,
            htmlBody: html,
            messageID: "custom-id-1@zeroerrand.example"
        )
        try await SMTPTestEnvironment.sinkClient().send(message)

        let mail = try await MailSink.latestMessage(to: recipient)
        #expect(mail.to == [recipient, other])
        #expect(mail.subject == message.subject)
        #expect(mail.text == body)
        #expect(mail.html == html)
        #expect(mail.header("Message-ID") == "<custom-id-1@zeroerrand.example>")
        #expect(mail.header("Content-Type")?.hasPrefix("multipart/alternative; boundary=\"=_") == true)
        #expect(mail.from == "\"ZeroErrand \\\"Support\\\"\" <noreply@zeroerrand.example>")
        // The same message is found through the second recipient too.
        let viaOther = try await MailSink.latestMessage(to: other)
        #expect(viaOther.fileURL == mail.fileURL)
    }

    @Test("Raw 8-bit lines starting with dots survive dot-stuffing byte for byte")
    func dotStuffingOnTheWire() async throws {
        let recipient = SMTPTestEnvironment.uniqueAddress("dots")
        let bodyLines = [".", "..", ".hidden line", "...three", "normal", ". space", "Ünïcödé . line", "."]
        let raw = "From: <a@zeroerrand.example>\r\nTo: <\(recipient)>\r\nSubject: dots\r\n\r\n"
            + bodyLines.joined(separator: "\r\n") + "\r\n"
        try await SMTPTestEnvironment.sinkClient().sendRaw(
            Array(raw.utf8),
            from: "a@zeroerrand.example",
            recipients: [recipient]
        )
        let mail = try await MailSink.latestMessage(to: recipient)
        #expect(mail.rawBody == bodyLines.joined(separator: "\r\n") + "\r\n")
        #expect(mail.subject == "dots")
    }

    @Test("Several messages to one address are returned oldest first")
    func orderingOfMessages() async throws {
        let recipient = SMTPTestEnvironment.uniqueAddress("order")
        let client = SMTPTestEnvironment.sinkClient()
        for index in 1...3 {
            try await client.send(
                MailMessage(
                    from: MailAddress(address: "noreply@zeroerrand.example"),
                    to: [MailAddress(address: recipient)],
                    subject: "Message \(index)",
                    textBody: "Body \(index)"
                )
            )
        }
        let mails = try await MailSink.waitForMessages(to: recipient, count: 3)
        #expect(mails.map(\.subject) == ["Message 1", "Message 2", "Message 3"])
        #expect(mails.map(\.text) == ["Body 1", "Body 2", "Body 3"])
    }

    @Test("Non-ASCII addresses use SMTPUTF8")
    func internationalizedAddress() async throws {
        let recipient = "用户-\(UUID().uuidString.lowercased())@例子.example"
        try await SMTPTestEnvironment.sinkClient().send(
            MailMessage(
                from: MailAddress(address: "noreply@zeroerrand.example"),
                to: [MailAddress(address: recipient, name: "Ünïcödé Name")],
                subject: "SMTPUTF8",
                textBody: "Grüße"
            )
        )
        let mail = try await MailSink.latestMessage(to: recipient)
        #expect(mail.to == [recipient])
        #expect(mail.toHeader == "Ünïcödé Name <\(recipient)>")
        #expect(mail.text == "Grüße")
    }
}

// MARK: - No server needed

@Suite("SMTP client failure handling")
struct SMTPClientFailureTests {
    @Test("Connecting to a closed port throws SMTPError.connectionFailed")
    func closedPort() async throws {
        let port = try await SMTPTestFreePort.find()
        let client = SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .plain, timeout: SMTPTestEnvironment.hangGuard),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(FakeSMTPServer.sampleMessage())
        }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
    }

    @Test("CR/LF in the subject is rejected before any connection is made")
    func headerInjectionRejectedBeforeConnecting() async throws {
        let server = try await FakeSMTPServer.start()
        defer { server.stop() }
        var message = FakeSMTPServer.sampleMessage()
        message.subject = "Hello\r\nBcc: victim@example.test"
        await #expect(throws: MailMessageError.headerInjection(field: "Subject")) {
            try await server.client().send(message)
        }
        message.subject = "Hello\nX-Injected: 1"
        await #expect(throws: MailMessageError.headerInjection(field: "Subject")) {
            try await server.client().send(message)
        }
        #expect(server.state.connections == 0)
    }

    @Test("A server that never greets runs into the timeout")
    func silentServerTimesOut() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(greeting: nil))
        defer { server.stop() }
        // The error itself is the evidence: the client's own short timeout fired (a stopwatch
        // bound here would fail on a busy machine, not on a broken client).
        await #expect(throws: SMTPError.timeout) {
            try await server.client(timeout: .milliseconds(500)).send(FakeSMTPServer.sampleMessage())
        }
        #expect(server.state.connections == 1)
    }

    @Test("Cancelling the task aborts a hanging send")
    func cancellation() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(greeting: nil))
        defer { server.stop() }
        let client = server.client()
        let task = Task { try await client.send(FakeSMTPServer.sampleMessage()) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        // A CancellationError (not the 30 s timeout's error) shows the cancel itself ended the send.
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("A rejected recipient surfaces the reply code and text")
    func rejectedRecipient() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(rejectRecipient: "nobody@example.test"))
        defer { server.stop() }
        var message = FakeSMTPServer.sampleMessage()
        message.to.append(MailAddress(address: "nobody@example.test"))
        await #expect(throws: SMTPError.unexpectedReply(command: "RCPT TO", code: 550, message: "5.1.1 no such user")) {
            try await server.client().send(message)
        }
        #expect(!server.state.lines.contains("DATA"))
    }

    @Test("EHLO rejected with 5xx falls back to HELO; AUTH LOGIN used when it is the only mechanism")
    func heloFallbackAndAuthLogin() async throws {
        let server = try await FakeSMTPServer.start(
            FakeSMTPServer.Behavior(ehloSupported: false)
        )
        defer { server.stop() }
        try await server.client().send(FakeSMTPServer.sampleMessage())
        #expect(server.state.lines.prefix(2) == ["EHLO client.test", "HELO client.test"])
        #expect(server.state.messages.count == 1)

        let authServer = try await FakeSMTPServer.start(
            FakeSMTPServer.Behavior(extensions: ["AUTH LOGIN", "8BITMIME"], credentials: ("mailer", "s3cret pw"))
        )
        defer { authServer.stop() }
        try await authServer.client(username: "mailer", password: "s3cret pw").send(FakeSMTPServer.sampleMessage())
        #expect(authServer.state.lines.contains("AUTH LOGIN"))
        #expect(authServer.state.messages.count == 1)

        await #expect(throws: SMTPError.unexpectedReply(command: "AUTH LOGIN (password)", code: 535, message: "5.7.8 bad credentials")) {
            try await authServer.client(username: "mailer", password: "wrong").send(FakeSMTPServer.sampleMessage())
        }
    }

    @Test("AUTH PLAIN is preferred when offered")
    func authPlain() async throws {
        let server = try await FakeSMTPServer.start(
            FakeSMTPServer.Behavior(extensions: ["AUTH LOGIN PLAIN"], credentials: ("mailer", "pässword"))
        )
        defer { server.stop() }
        try await server.client(username: "mailer", password: "pässword").send(FakeSMTPServer.sampleMessage())
        let expected = "AUTH PLAIN " + Data("\0mailer\0pässword".utf8).base64EncodedString()
        #expect(server.state.lines.contains(expected))
        #expect(server.state.messages.count == 1)
    }

    @Test("Credentials without an AUTH offer fail instead of sending unauthenticated")
    func authNotOffered() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(extensions: ["8BITMIME"]))
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) {
            try await server.client(username: "u", password: "p").send(FakeSMTPServer.sampleMessage())
        }
        guard case .unsupported = error else {
            Issue.record("expected unsupported, got \(String(describing: error))")
            return
        }
        #expect(!server.state.lines.contains { $0.hasPrefix("MAIL FROM") })
    }

    @Test("STARTTLS required but not offered fails without sending the message")
    func startTLSNotOffered() async throws {
        let server = try await FakeSMTPServer.start()
        defer { server.stop() }
        await #expect(throws: SMTPError.unsupported("STARTTLS")) {
            try await server.client(security: .startTLS).send(FakeSMTPServer.sampleMessage())
        }
        #expect(!server.state.lines.contains { $0.hasPrefix("MAIL FROM") })
    }

    @Test("STARTTLS upgrades the connection, re-sends EHLO and delivers")
    func startTLS() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(startTLS: true))
        defer { server.stop() }
        try await server.client(security: .startTLS, host: "localhost").send(FakeSMTPServer.sampleMessage())
        #expect(server.state.lines.prefix(3) == ["EHLO client.test", "STARTTLS", "EHLO client.test"])
        #expect(server.state.tlsActive)
        #expect(server.state.messages.count == 1)
    }

    @Test("STARTTLS with an untrusted certificate fails with tlsFailed")
    func startTLSUntrusted() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(startTLS: true))
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) {
            try await server.client(security: .startTLS, host: "localhost", trustTestCertificate: false)
                .send(FakeSMTPServer.sampleMessage())
        }
        guard case .tlsFailed = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(server.state.messages.isEmpty)
    }

    @Test("Plaintext injected after the STARTTLS reply is detected")
    func startTLSInjection() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(startTLS: true, injectAfterStartTLS: true))
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) {
            try await server.client(security: .startTLS, host: "localhost").send(FakeSMTPServer.sampleMessage())
        }
        guard case .protocolViolation = error else {
            Issue.record("expected protocolViolation, got \(String(describing: error))")
            return
        }
    }

    @Test("Implicit TLS delivers")
    func implicitTLS() async throws {
        let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(implicitTLS: true))
        defer { server.stop() }
        try await server.client(security: .tls, host: "127.0.0.1").send(FakeSMTPServer.sampleMessage())
        #expect(server.state.messages.count == 1)
    }

    @Test("Dot-stuffing on the wire and the terminating line")
    func dotStuffingWire() async throws {
        let server = try await FakeSMTPServer.start()
        defer { server.stop() }
        let raw = "Subject: x\r\n\r\n.one\r\n..two\r\nthree\n.\nlast line without newline"
        try await server.client().sendRaw(Array(raw.utf8), from: "a@example.test", recipients: ["b@example.test"])
        #expect(server.state.messages == [[
            "Subject: x", "", "..one", "...two", "three", "..", "last line without newline",
        ]])
    }

    @Test("Passwords do not show up in descriptions")
    func passwordRedacted() {
        let configuration = SMTPConfiguration(host: "smtp.example", username: "user", password: "hunter2")
        #expect(!String(describing: configuration).contains("hunter2"))
        #expect(!String(reflecting: configuration).contains("hunter2"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(configuration.port == 587)
    }
}

// MARK: - Rendering

@Suite("Mail message rendering")
struct MailMessageRenderingTests {
    static let fixedDate = Date(timeIntervalSince1970: 1_709_629_623)  // Tue, 05 Mar 2024 09:07:03 UTC

    @Test("Headers, date format, CRLF and base64 body lines")
    func plainRendering() throws {
        let message = MailMessage(
            from: MailAddress(address: "noreply@zeroerrand.example", name: "ZeroErrand"),
            to: [MailAddress(address: "alice@example.test")],
            subject: "Welcome",
            textBody: String(repeating: "0123456789 ", count: 30) + "\n.dot"
        )
        let rendered = String(decoding: try message.render(date: Self.fixedDate), as: UTF8.self)
        #expect(rendered.hasPrefix("Date: Tue, 05 Mar 2024 09:07:03 +0000\r\n"))
        #expect(rendered.contains("\r\nFrom: \"ZeroErrand\" <noreply@zeroerrand.example>\r\n"))
        #expect(rendered.contains("\r\nTo: alice@example.test\r\n"))
        #expect(rendered.contains("\r\nSubject: Welcome\r\n"))
        #expect(rendered.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(rendered.contains("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"))
        // Only CRLF line breaks.
        let bytes = Array(rendered.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"))
        }
        let body = MailSink.splitHeaderAndBody(rendered).1
        let bodyLines = body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(bodyLines.count > 1)
        #expect(bodyLines.dropLast().allSatisfy { $0.count == 76 })
        #expect(bodyLines.allSatisfy { $0.count <= 76 })
        let parsed = try MailSink.parse(Data(rendered.utf8))
        #expect(parsed.text == message.textBody)
    }

    @Test(
        "Non-ASCII subjects and names become encoded words of at most 75 characters",
        arguments: [
            "你好",
            String(repeating: "零差事测试", count: 20),
            "Grüße aus Köln – ein ziemlich langer Betreff mit Umlauten, der gefaltet werden muss",
            String(repeating: "👩‍👩‍👧‍👦", count: 12),
            "ASCII with =?UTF-8?B?Zm9v?= lookalike",
        ]
    )
    func encodedWords(subject: String) throws {
        let message = MailMessage(
            from: MailAddress(address: "a@example.test", name: subject),
            to: [MailAddress(address: "b@example.test", name: subject), MailAddress(address: "c@example.test", name: "Çé")],
            subject: subject,
            textBody: "x"
        )
        let rendered = String(decoding: try message.render(date: Self.fixedDate), as: UTF8.self)
        let headerBlock = MailSink.splitHeaderAndBody(rendered).0
        for line in headerBlock.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "header line too long: \(line)")
            let isASCII = line.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(isASCII, "raw non-ASCII in header: \(line)")
            for word in line.split(separator: " ") where word.hasPrefix("=?") {
                #expect(word.count <= 75)
                #expect(word.hasPrefix("=?UTF-8?B?"))
            }
        }
        let parsed = try MailSink.parse(Data(rendered.utf8))
        #expect(parsed.subject == subject)
        #expect(parsed.from == "\(subject) <a@example.test>")
        #expect(parsed.toHeader == "\(subject) <b@example.test>, Çé <c@example.test>")
    }

    @Test("Encoded words never split a UTF-8 sequence")
    func encodedWordBoundaries() {
        let text = String(repeating: "a€𝄞中", count: 40)
        let words = MailMessage.encodedWords(for: text, firstLineUsed: 9)
        #expect(words.count > 1)
        var reassembled = ""
        for word in words {
            #expect(word.count <= 75)
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let data = Data(base64Encoded: String(payload))
            #expect(data != nil)
            let piece = data.flatMap { String(data: $0, encoding: .utf8) }
            #expect(piece != nil, "a word is not valid UTF-8 on its own")
            reassembled += piece ?? ""
        }
        #expect(reassembled == text)
        // The first word leaves room for "Subject: " within 76 characters.
        #expect(9 + words[0].count <= 76)
    }

    @Test("Multipart alternative structure")
    func multipart() throws {
        let message = MailMessage(
            from: MailAddress(address: "a@example.test"),
            to: [MailAddress(address: "b@example.test")],
            subject: "Hi",
            textBody: "plain ✓",
            htmlBody: "<b>html ✓</b>"
        )
        let first = String(decoding: try message.render(date: Self.fixedDate), as: UTF8.self)
        let second = String(decoding: try message.render(date: Self.fixedDate), as: UTF8.self)
        let contentType = try #require(try MailSink.parse(Data(first.utf8)).header("Content-Type"))
        let boundary = try #require(MailSink.parseContentType(contentType).1["boundary"])
        #expect(first.contains("\r\n--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(first.contains("\r\n--\(boundary)\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(first.hasSuffix("\r\n--\(boundary)--\r\n"))
        for line in MailSink.splitHeaderAndBody(first).0.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "header line too long: \(line)")
        }
        #expect(first != second, "boundary must be random")
        let parsed = try MailSink.parse(Data(first.utf8))
        #expect(parsed.text == "plain ✓")
        #expect(parsed.html == "<b>html ✓</b>")
    }

    @Test("CR or LF anywhere in a header value is rejected")
    func headerInjection() {
        func message(_ change: (inout MailMessage) -> Void) -> MailMessage {
            var message = MailMessage(
                from: MailAddress(address: "a@example.test", name: "A"),
                to: [MailAddress(address: "b@example.test")],
                subject: "ok",
                textBody: "body\r\nwith\nbreaks is fine"
            )
            change(&message)
            return message
        }
        #expect(throws: Never.self) { try message { _ in }.render() }
        #expect(throws: MailMessageError.headerInjection(field: "Subject")) { try message { $0.subject = "a\rb" }.render() }
        #expect(throws: MailMessageError.headerInjection(field: "From")) { try message { $0.from.name = "x\nBcc: y@z" }.render() }
        #expect(throws: MailMessageError.headerInjection(field: "From")) { try message { $0.from.address = "a@b\r\nBcc: c@d" }.render() }
        #expect(throws: MailMessageError.headerInjection(field: "To")) { try message { $0.to[0].name = "x\r\n" }.render() }
        #expect(throws: MailMessageError.headerInjection(field: "To")) { try message { $0.to[0].address = "b@x\n" }.render() }
        #expect(throws: MailMessageError.headerInjection(field: "Message-ID")) { try message { $0.messageID = "a@b\r\nX: y" }.render() }
        #expect(throws: MailMessageError.invalidAddress("b@x> , <c@y")) { try message { $0.to[0].address = "b@x> , <c@y" }.render() }
        #expect(throws: MailMessageError.invalidAddress("no-at-sign")) { try message { $0.to[0].address = "no-at-sign" }.render() }
        #expect(throws: MailMessageError.noRecipients) { try message { $0.to = [] }.render() }
    }

    @Test("Line break normalisation and dot-stuffing helper")
    func helpers() {
        #expect(MailMessage.normalizeLineBreaks("a\nb\r\nc\rd\r") == "a\r\nb\r\nc\r\nd\r\n")
        let payload = SMTPClient.dataPayload(Array(".a\r\nb\n..c\r.\r\nend".utf8))
        #expect(String(decoding: payload, as: UTF8.self) == "..a\r\nb\r\n...c\r\n..\r\nend\r\n.\r\n")
        #expect(String(decoding: SMTPClient.dataPayload(Array("x\r\n".utf8)), as: UTF8.self) == "x\r\n.\r\n")
        #expect(String(decoding: SMTPClient.dataPayload([]), as: UTF8.self) == ".\r\n")
    }
}

// MARK: - Reply parsing

@Suite("SMTP reply parsing")
struct SMTPReplyParserTests {
    @Test("Multi-line replies, split across reads")
    func multiline() throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250-smtp.example greets you\r\n250-SIZE 1000\r\n250-AUTH")
        #expect(try parser.parse(&buffer) == nil)
        buffer.writeString(" PLAIN LOGIN\r\n250 STARTTLS\r\n220 next")
        let reply = try #require(try parser.parse(&buffer))
        #expect(reply.code == 250)
        #expect(reply.lines == ["smtp.example greets you", "SIZE 1000", "AUTH PLAIN LOGIN", "STARTTLS"])
        let extensions = SMTPExtensions(ehloReply: reply)
        #expect(extensions.supports("starttls"))
        #expect(extensions.authMechanisms == ["PLAIN", "LOGIN"])
        #expect(try parser.parse(&buffer) == nil)
        buffer.writeString("\n")  // bare LF tolerated
        #expect(try parser.parse(&buffer) == SMTPReply(code: 220, lines: ["next"]))
        buffer.writeString("354\r\n")  // code without text
        #expect(try parser.parse(&buffer) == SMTPReply(code: 354, lines: [""]))
    }

    @Test("Old-style AUTH= keyword")
    func oldStyleAuth() {
        let extensions = SMTPExtensions(ehloReply: SMTPReply(code: 250, lines: ["host", "AUTH=LOGIN", "SMTPUTF8"]))
        #expect(extensions.authMechanisms == ["LOGIN"])
        #expect(extensions.supports("SMTPUTF8"))
    }

    @Test("Malformed replies are rejected", arguments: ["hello\r\n", "25\r\n", "250x\r\n", "250-a\r\n251 b\r\n"])
    func malformed(input: String) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        #expect(throws: SMTPError.self) {
            while try parser.parse(&buffer) != nil {}
        }
    }

    @Test("Overlong lines are rejected")
    func overlong() {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250 " + String(repeating: "x", count: 5000))
        #expect(throws: SMTPError.self) { try parser.parse(&buffer) }
    }
}

// MARK: - Test doubles

enum SMTPTestFreePort {
    /// A TCP port on 127.0.0.1 that nothing listens on (bound once, then released).
    static func find() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}

/// Test-only PKI: a CA and a `localhost` / 127.0.0.1 server certificate it signed
/// (EC P-256, valid until 2126). The client trusts only the CA.
enum SMTPTestCertificate {
    static let caPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBoDCCAUegAwIBAgIUCCwJitnpiDvjXZON89P0caSElWAwCgYIKoZIzj0EAwIw
        HTEbMBkGA1UEAwwSWmVyb0VycmFuZCBUZXN0IENBMCAXDTI2MTEzMDA0MDUwNFoY
        DzIxMjYxMTA2MDQwNTA0WjAdMRswGQYDVQQDDBJaZXJvRXJyYW5kIFRlc3QgQ0Ew
        WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARl84OS/S4dvr1qEzW2yR5tXYVFp1tj
        VYnHeP/f5A+HDktRIKTl6HWA3TVJjoBUJmn2+9f1Hh9lSObE+vANqoO+o2MwYTAd
        BgNVHQ4EFgQUwXD9ZpJy9rW8BJh+ochnhKTlYDEwHwYDVR0jBBgwFoAUwXD9ZpJy
        9rW8BJh+ochnhKTlYDEwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
        CgYIKoZIzj0EAwIDRwAwRAIgXO8VChLX5Sl4H/o597yJy/F0fUjZPiUwpqD76DE9
        F1cCIDDMg+wm5kc/+jlIJf4geBDv9+SeYcEJ60P27UGjQvxL
        -----END CERTIFICATE-----
        """
    static let serverCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIByDCCAW6gAwIBAgIURmyfXEpRHRy78j5kgnsbuLd6bNowCgYIKoZIzj0EAwIw
        HTEbMBkGA1UEAwwSWmVyb0VycmFuZCBUZXN0IENBMCAXDTI2MTEzMDA0MDUwNFoY
        DzIxMjYxMTA2MDQwNTA0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjO
        PQIBBggqhkjOPQMBBwNCAAQyr/YjtoRh/0Dvy+vYpgqwsyW+UeMYB7EbIYaSyXRp
        0llmWgN8dVwF+/sgO31Au8NlfCUtnwu/Au+HrgyH8RZWo4GSMIGPMBoGA1UdEQQT
        MBGCCWxvY2FsaG9zdIcEfwAAATAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIH
        gDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQUqTtm/mk8IHjzyCPc3BVP
        K1oROmkwHwYDVR0jBBgwFoAUwXD9ZpJy9rW8BJh+ochnhKTlYDEwCgYIKoZIzj0E
        AwIDSAAwRQIgZHB6ZCG5sKKbyGjWYlqGk5TYW9PVt2dQ/LswwD+pi/ECIQCxleRl
        D8QtLt4vzUoxwAi9x8/j5jhkc5xfGrn5622TKw==
        -----END CERTIFICATE-----
        """
    static let serverKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPspe1mxQKwAGgxJW
        EqMttEuV7gmLTLR6k/2P3A9KDPShRANCAAQyr/YjtoRh/0Dvy+vYpgqwsyW+UeMY
        B7EbIYaSyXRp0llmWgN8dVwF+/sgO31Au8NlfCUtnwu/Au+HrgyH8RZW
        -----END PRIVATE KEY-----
        """

    static func caCertificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)
    }

    static func serverContext() throws -> NIOSSLContext {
        let certificate = try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
        return try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        )
    }
}

/// Thread-safe record of what the fake server saw.
final class FakeSMTPState: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    private var _messages: [[String]] = []
    private var _connections = 0
    private var _tlsActive = false

    var lines: [String] { lock.withLock { _lines } }
    /// DATA content per message, one entry per line as received on the wire (still dot-stuffed).
    var messages: [[String]] { lock.withLock { _messages } }
    var connections: Int { lock.withLock { _connections } }
    var tlsActive: Bool { lock.withLock { _tlsActive } }

    func record(line: String) { lock.withLock { _lines.append(line) } }
    func record(message: [String]) { lock.withLock { _messages.append(message) } }
    func connected() { lock.withLock { _connections += 1 } }
    func tlsStarted() { lock.withLock { _tlsActive = true } }
}

/// A tiny scripted ESMTP server on 127.0.0.1 for protocol edge cases the sink cannot produce.
struct FakeSMTPServer: Sendable {
    struct Behavior: Sendable {
        var greeting: String? = "220 fake.test ESMTP ready"
        var ehloSupported = true
        var extensions: [String] = ["8BITMIME", "SMTPUTF8"]
        var credentials: (user: String, password: String)?
        var rejectRecipient: String?
        var startTLS = false
        var injectAfterStartTLS = false
        var implicitTLS = false
    }

    let channel: any Channel
    let port: Int
    let state: FakeSMTPState

    static func start(_ behavior: Behavior = Behavior()) async throws -> FakeSMTPServer {
        let state = FakeSMTPState()
        let tlsContext = (behavior.startTLS || behavior.implicitTLS) ? try SMTPTestCertificate.serverContext() : nil
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if behavior.implicitTLS, let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        FakeSMTPHandler(behavior: behavior, state: state, tlsContext: tlsContext)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeSMTPServer(channel: channel, port: channel.localAddress?.port ?? 0, state: state)
    }

    func stop() {
        channel.close(promise: nil)
    }

    func client(
        security: SMTPConfiguration.Security = .plain,
        host: String = "127.0.0.1",
        username: String? = nil,
        password: String? = nil,
        timeout: TimeAmount = SMTPTestEnvironment.hangGuard,
        trustTestCertificate: Bool = true
    ) -> SMTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if trustTestCertificate, let certificate = try? SMTPTestCertificate.caCertificate() {
            tls.trustRoots = .certificates([certificate])
        }
        return SMTPClient(
            configuration: SMTPConfiguration(
                host: host,
                port: port,
                security: security,
                username: username,
                password: password,
                heloName: "client.test",
                timeout: timeout,
                tlsConfiguration: tls
            ),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
    }

    static func sampleMessage() -> MailMessage {
        MailMessage(
            from: MailAddress(address: "noreply@zeroerrand.example"),
            to: [MailAddress(address: "someone@example.test")],
            subject: "Test",
            textBody: "Hello"
        )
    }
}

final class FakeSMTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let behavior: FakeSMTPServer.Behavior
    private let state: FakeSMTPState
    private let tlsContext: NIOSSLContext?
    private var buffer = ByteBuffer()
    private var dataLines: [String]?
    private var authLoginStep = 0
    private var authUser = ""

    init(behavior: FakeSMTPServer.Behavior, state: FakeSMTPState, tlsContext: NIOSSLContext?) {
        self.behavior = behavior
        self.state = state
        self.tlsContext = tlsContext
    }

    func channelActive(context: ChannelHandlerContext) {
        state.connected()
        if behavior.implicitTLS { state.tlsStarted() }
        if let greeting = behavior.greeting { send(context, greeting) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex
            var line = buffer.readString(length: length) ?? ""
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            handle(line: line, context: context)
        }
        buffer.discardReadBytes()
    }

    private func send(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
    }

    private func handle(line: String, context: ChannelHandlerContext) {
        if var lines = dataLines {
            if line == "." {
                dataLines = nil
                state.record(message: lines)
                send(context, "250 2.0.0 queued")
            } else {
                lines.append(line)
                dataLines = lines
            }
            return
        }
        state.record(line: line)
        if authLoginStep == 1 {
            authUser = String(decoding: Data(base64Encoded: line) ?? Data(), as: UTF8.self)
            authLoginStep = 2
            send(context, "334 UGFzc3dvcmQ6")
            return
        }
        if authLoginStep == 2 {
            authLoginStep = 0
            let password = String(decoding: Data(base64Encoded: line) ?? Data(), as: UTF8.self)
            let ok = behavior.credentials.map { $0.user == authUser && $0.password == password } ?? false
            send(context, ok ? "235 2.7.0 ok" : "535 5.7.8 bad credentials")
            return
        }
        let upper = line.uppercased()
        switch true {
        case upper.hasPrefix("EHLO"):
            guard behavior.ehloSupported else { return send(context, "502 5.5.1 EHLO not implemented") }
            var extensions = behavior.extensions
            if behavior.startTLS, !state.tlsActive { extensions.append("STARTTLS") }
            let lines = ["fake.test"] + extensions
            let reply = lines.enumerated().map { index, text in
                (index == lines.count - 1 ? "250 " : "250-") + text
            }.joined(separator: "\r\n")
            send(context, reply)
        case upper.hasPrefix("HELO"):
            send(context, "250 fake.test")
        case upper == "STARTTLS":
            guard behavior.startTLS, let tlsContext else { return send(context, "502 5.5.1 no") }
            send(context, behavior.injectAfterStartTLS ? "220 2.0.0 go ahead\r\n250 injected" : "220 2.0.0 go ahead")
            do {
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext), position: .first)
                state.tlsStarted()
            } catch {
                context.close(promise: nil)
            }
        case upper.hasPrefix("AUTH PLAIN "):
            let token = String(line.dropFirst("AUTH PLAIN ".count))
            let decoded = String(decoding: Data(base64Encoded: token) ?? Data(), as: UTF8.self)
            let parts = decoded.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            let ok = behavior.credentials.map { parts == ["", $0.user, $0.password] } ?? false
            send(context, ok ? "235 2.7.0 ok" : "535 5.7.8 bad credentials")
        case upper == "AUTH LOGIN":
            authLoginStep = 1
            send(context, "334 VXNlcm5hbWU6")
        case upper.hasPrefix("MAIL FROM:"):
            send(context, "250 2.1.0 ok")
        case upper.hasPrefix("RCPT TO:"):
            if let rejected = behavior.rejectRecipient, line.contains("<\(rejected)>") {
                send(context, "550 5.1.1 no such user")
            } else {
                send(context, "250 2.1.5 ok")
            }
        case upper == "DATA":
            dataLines = []
            send(context, "354 go ahead")
        case upper == "QUIT":
            send(context, "221 2.0.0 bye")  // the client closes
        default:
            send(context, "500 5.5.2 unknown command")
        }
    }
}

@available(*, unavailable)
extension FakeSMTPHandler: Sendable {}
