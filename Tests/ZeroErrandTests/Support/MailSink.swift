import Foundation

/// One message as stored by `scripts/smtp_sink.py`, decoded for assertions.
struct ReceivedMail: Sendable {
    /// The `.eml` file the sink wrote.
    var fileURL: URL
    /// Envelope recipients (`RCPT TO`), falling back to the addresses in the `To` header.
    var to: [String]
    /// Envelope sender (`MAIL FROM`), if the sink recorded it.
    var envelopeFrom: String?
    /// Decoded `Subject` (RFC 2047 encoded words resolved).
    var subject: String
    /// Decoded `From` header (encoded words resolved).
    var from: String
    /// Decoded `To` header (encoded words resolved).
    var toHeader: String
    /// The text/plain part, transfer encoding removed, line breaks normalised to "\n".
    var text: String
    /// The text/html part, if any, decoded like `text`.
    var html: String?
    /// The text/calendar part (an invitation), decoded like `text`.
    var calendar: String?
    /// All headers in order, unfolded, values decoded.
    var headers: [Header]
    /// The message body exactly as stored (after the header block), line breaks untouched.
    var rawBody: String

    struct Header: Sendable, Hashable {
        var name: String
        var value: String
    }

    /// First header value with this name (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// `http://` and `https://` links found in the text part (then the HTML part), in order.
    var links: [String] {
        var result: [String] = []
        for source in [text, html ?? ""] {
            var rest = Substring(source)
            while let start = rest.range(of: "http", options: .caseInsensitive) {
                let candidate = rest[start.lowerBound...]
                guard candidate.lowercased().hasPrefix("http://") || candidate.lowercased().hasPrefix("https://") else {
                    rest = rest[start.upperBound...]
                    continue
                }
                let end = candidate.firstIndex { ch in
                    ch.isWhitespace || ch == "\"" || ch == "'" || ch == "<" || ch == ">" || ch == ")"
                } ?? candidate.endIndex
                var link = String(candidate[..<end])
                while let last = link.last, ".,;:!?".contains(last) { link.removeLast() }
                if !result.contains(link) { result.append(link) }
                rest = candidate[end...]
            }
        }
        return result
    }
}

enum MailSinkError: Error, CustomStringConvertible {
    case notConfigured
    case timedOut(address: String, expected: Int, found: Int)

    var description: String {
        switch self {
        case .notConfigured: "ZE_TEST_MAIL_DIR is not set"
        case let .timedOut(address, expected, found):
            "expected \(expected) mail(s) for \(address) in the sink, found \(found)"
        }
    }
}

/// Reads what `scripts/smtp_sink.py` stored in `ZE_TEST_MAIL_DIR`.
enum MailSink {
    static var directory: URL? {
        ProcessInfo.processInfo.environment["ZE_TEST_MAIL_DIR"].map { URL(fileURLWithPath: $0, isDirectory: true) }
    }

    /// All messages whose envelope recipients or `To` header contain `address`
    /// (case-insensitive), oldest first.
    static func messages(to address: String) throws -> [ReceivedMail] {
        guard let directory else { throw MailSinkError.notConfigured }
        return try messages(to: address, in: directory)
    }

    static func messages(to address: String, in directory: URL) throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }
            .sorted(by: sinkFileOrder)
        let wanted = address.lowercased()
        return try names.compactMap { name in
            let url = directory.appendingPathComponent(name)
            let mail = try parse(Data(contentsOf: url), fileURL: url)
            return mail.to.contains { $0.lowercased() == wanted } ? mail : nil
        }
    }

    /// Polls until at least `count` messages for `address` are there. The wait is generous (a busy
    /// machine delivers slowly); it only runs out when a message never comes.
    static func waitForMessages(
        to address: String,
        count: Int = 1,
        timeout: Duration = .seconds(300)
    ) async throws -> [ReceivedMail] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let found = try messages(to: address)
            if found.count >= count { return found }
            if clock.now >= deadline { throw MailSinkError.timedOut(address: address, expected: count, found: found.count) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The newest message for `address`, waiting for it if needed.
    static func latestMessage(to address: String, timeout: Duration = .seconds(300)) async throws -> ReceivedMail {
        let mails = try await waitForMessages(to: address, count: 1, timeout: timeout)
        return mails[mails.count - 1]
    }

    /// `<epoch-ns>-<n>.eml`: numeric order on both parts.
    private static func sinkFileOrder(_ lhs: String, _ rhs: String) -> Bool {
        func key(_ name: String) -> (UInt64, UInt64) {
            let parts = name.dropLast(4).split(separator: "-")
            return (parts.first.flatMap { UInt64($0) } ?? 0, parts.dropFirst().first.flatMap { UInt64($0) } ?? 0)
        }
        let (l, r) = (key(lhs), key(rhs))
        return l != r ? l < r : lhs < rhs
    }

    // MARK: Parsing

    static func parse(_ data: Data, fileURL: URL = URL(fileURLWithPath: "/dev/null")) throws -> ReceivedMail {
        let rawText = String(decoding: data, as: UTF8.self)
        let (headerBlock, rawBody) = splitHeaderAndBody(rawText)
        let headers = parseHeaders(headerBlock)
        func value(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        let decodedHeaders = headers.map { ReceivedMail.Header(name: $0.name, value: decodeEncodedWords($0.value)) }

        var recipients = value("X-Sink-Rcpt-To").map(extractAddresses) ?? []
        if recipients.isEmpty { recipients = value("To").map(extractAddresses) ?? [] }
        let envelopeFrom = value("X-Sink-Mail-From").map(extractAddresses)?.first

        var text = ""
        var html: String?
        var calendar: String?
        collectParts(headers: headers, body: rawBody, text: &text, html: &html, calendar: &calendar)

        return ReceivedMail(
            fileURL: fileURL,
            to: recipients,
            envelopeFrom: envelopeFrom,
            subject: decodeEncodedWords(value("Subject") ?? ""),
            from: decodeEncodedWords(value("From") ?? ""),
            toHeader: decodeEncodedWords(value("To") ?? ""),
            text: text,
            html: html,
            calendar: calendar,
            headers: decodedHeaders,
            rawBody: rawBody
        )
    }

    /// Splits at the first empty line (CRLF or LF).
    static func splitHeaderAndBody(_ raw: String) -> (String, String) {
        let candidates = [raw.range(of: "\r\n\r\n"), raw.range(of: "\n\n")].compactMap { $0 }
        guard let split = candidates.min(by: { $0.lowerBound < $1.lowerBound }) else { return (raw, "") }
        return (String(raw[..<split.lowerBound]), String(raw[split.upperBound...]))
    }

    /// Unfolds and splits `Name: value` lines (values not decoded).
    static func parseHeaders(_ block: String) -> [ReceivedMail.Header] {
        var headers: [ReceivedMail.Header] = []
        for line in normalizeNewlines(block).split(separator: "\n", omittingEmptySubsequences: true) {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += String(line)  // unfold: drop the CRLF, keep the WSP
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers.append(.init(name: name, value: value))
            }
        }
        return headers
    }

    static func normalizeNewlines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Addresses inside `<...>`, or the bare comma-separated items when there are none.
    static func extractAddresses(_ value: String) -> [String] {
        var result: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            result.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        if result.isEmpty {
            result = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains("@") }
        }
        return result
    }

    // MARK: MIME

    private static func collectParts(headers: [ReceivedMail.Header], body: String, text: inout String, html: inout String?,
                                     calendar: inout String?) {
        let contentType = headers.first { $0.name.caseInsensitiveCompare("Content-Type") == .orderedSame }?.value ?? "text/plain"
        let (mediaType, parameters) = parseContentType(contentType)
        if mediaType.hasPrefix("multipart/"), let boundary = parameters["boundary"] {
            for part in splitMultipart(body, boundary: boundary) {
                let (partHeaderBlock, partBody) = splitHeaderAndBodyOfPart(part)
                collectParts(headers: parseHeaders(partHeaderBlock), body: partBody, text: &text, html: &html, calendar: &calendar)
            }
            return
        }
        let encoding = headers.first { $0.name.caseInsensitiveCompare("Content-Transfer-Encoding") == .orderedSame }?
            .value.lowercased() ?? "7bit"
        let decoded = normalizeNewlines(decodeBody(body, transferEncoding: encoding, charset: parameters["charset"]))
        if mediaType == "text/html" {
            if html == nil { html = decoded }
        } else if mediaType == "text/calendar" {
            if calendar == nil { calendar = decoded }
        } else if mediaType == "text/plain", text.isEmpty {
            text = decoded
        }
    }

    /// A part may start directly with the empty line (no headers).
    private static func splitHeaderAndBodyOfPart(_ part: String) -> (String, String) {
        if part.hasPrefix("\r\n") { return ("", String(part.dropFirst())) }  // "\r\n" is one Character
        if part.hasPrefix("\n") { return ("", String(part.dropFirst())) }
        return splitHeaderAndBody(part)
    }

    static func parseContentType(_ value: String) -> (String, [String: String]) {
        let items = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let mediaType = items.first?.lowercased() ?? "text/plain"
        var parameters: [String: String] = [:]
        for item in items.dropFirst() {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var parameterValue = item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if parameterValue.hasPrefix("\""), parameterValue.hasSuffix("\""), parameterValue.count >= 2 {
                parameterValue = String(parameterValue.dropFirst().dropLast())
            }
            parameters[key] = parameterValue
        }
        return (mediaType, parameters)
    }

    /// Parts between `--boundary` lines, up to `--boundary--`.
    static func splitMultipart(_ body: String, boundary: String) -> [String] {
        let lines = normalizeNewlines(body).split(separator: "\n", omittingEmptySubsequences: false)
        var parts: [String] = []
        var current: [Substring]?
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "--\(boundary)--" {
                if let current { parts.append(current.joined(separator: "\n")) }
                return parts
            }
            if trimmed == "--\(boundary)" {
                if let current { parts.append(current.joined(separator: "\n")) }
                current = []
            } else if current != nil {
                current?.append(line)
            }
        }
        if let current { parts.append(current.joined(separator: "\n")) }
        return parts
    }

    static func decodeBody(_ body: String, transferEncoding: String, charset: String?) -> String {
        switch transferEncoding {
        case "base64":
            let compact = body.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact) else { return body }
            return decodeCharset(data, charset: charset)
        case "quoted-printable":
            return decodeCharset(decodeQuotedPrintable(body), charset: charset)
        default:
            return body
        }
    }

    static func decodeQuotedPrintable(_ text: String) -> Data {
        var out = Data()
        let bytes = Array(normalizeNewlines(text).utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {  // soft line break
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    out.append(value)
                    index += 3
                    continue
                }
            }
            if byte == UInt8(ascii: "\n") {
                out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    static func decodeCharset(_ data: Data, charset: String?) -> String {
        switch charset?.lowercased() {
        case "iso-8859-1", "latin1", "latin-1":
            return String(data: data, encoding: .isoLatin1) ?? String(decoding: data, as: UTF8.self)
        default:
            return String(decoding: data, as: UTF8.self)
        }
    }

    // MARK: RFC 2047

    /// Decodes `=?charset?B|Q?...?=` words; whitespace between adjacent encoded words is dropped.
    static func decodeEncodedWords(_ value: String) -> String {
        var output = ""
        var pendingWhitespace = ""
        var previousWasEncoded = false
        var index = value.startIndex
        while index < value.endIndex {
            if value[index...].hasPrefix("=?"), let (decoded, end) = parseEncodedWord(value, at: index) {
                if !previousWasEncoded { output += pendingWhitespace }
                pendingWhitespace = ""
                output += decoded
                previousWasEncoded = true
                index = end
                continue
            }
            let character = value[index]
            if character.isWhitespace {
                pendingWhitespace.append(character)
            } else {
                output += pendingWhitespace
                pendingWhitespace = ""
                output.append(character)
                previousWasEncoded = false
            }
            index = value.index(after: index)
        }
        return output + pendingWhitespace
    }

    private static func parseEncodedWord(_ value: String, at start: String.Index) -> (String, String.Index)? {
        let afterPrefix = value.index(start, offsetBy: 2)
        guard let charsetEnd = value[afterPrefix...].firstIndex(of: "?") else { return nil }
        let charset = String(value[afterPrefix..<charsetEnd]).split(separator: "*").first.map(String.init) ?? ""  // RFC 2231 language
        let encodingIndex = value.index(after: charsetEnd)
        guard encodingIndex < value.endIndex else { return nil }
        let encoding = value[encodingIndex].uppercased()
        let textStart = value.index(after: encodingIndex)
        guard textStart < value.endIndex, value[textStart] == "?" else { return nil }
        let payloadStart = value.index(after: textStart)
        guard let terminator = value[payloadStart...].range(of: "?=") else { return nil }
        let payload = String(value[payloadStart..<terminator.lowerBound])
        guard !payload.contains(where: \.isWhitespace) else { return nil }
        let data: Data
        switch encoding {
        case "B":
            guard let decoded = Data(base64Encoded: payload) else { return nil }
            data = decoded
        case "Q":
            data = decodeQuotedPrintable(payload.replacingOccurrences(of: "_", with: " "))
        default:
            return nil
        }
        return (decodeCharset(data, charset: charset), terminator.upperBound)
    }
}
