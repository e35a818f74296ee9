import Foundation

// MARK: - Address

/// A mailbox: an address plus an optional display name.
///
/// The address is used verbatim both in the SMTP envelope (`MAIL FROM`/`RCPT TO`)
/// and in the message headers. Non-ASCII addresses are allowed (they need a server
/// that advertises SMTPUTF8); non-ASCII display names are RFC 2047 encoded.
public struct MailAddress: Sendable, Hashable {
    public var address: String
    public var name: String?

    public init(address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// `true` when the address needs the SMTPUTF8 extension to be transported.
    public var requiresSMTPUTF8: Bool {
        !address.unicodeScalars.allSatisfy(\.isASCII)
    }
}

// MARK: - Errors

/// Problems found while validating or rendering a `MailMessage`.
/// Thrown before any network activity takes place.
public enum MailMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A header value (subject, display name, address, message id) contained CR or LF.
    case headerInjection(field: String)
    /// An address is syntactically unusable (empty, no `@`, whitespace, angle brackets, control characters).
    case invalidAddress(String)
    /// The message has no recipients.
    case noRecipients
    /// The Message-ID is not usable (whitespace, control characters, angle brackets inside).
    case invalidMessageID(String)

    public var description: String {
        switch self {
        case .headerInjection(let field): "line break (CR/LF) in mail header field \(field)"
        case .invalidAddress(let address): "invalid mail address \(address.debugDescription)"
        case .noRecipients: "mail message has no recipients"
        case .invalidMessageID(let id): "invalid Message-ID \(id.debugDescription)"
        }
    }
}

// MARK: - Message

/// A plain-text (optionally HTML alternative) mail message.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var textBody: String
    public var htmlBody: String?
    /// Message-ID without or with angle brackets; generated when `nil`.
    public var messageID: String?
    /// An iCalendar object sent as an invitation part (`text/calendar`); its METHOD line is copied
    /// into the part's content type, which is how mail programs recognise an invitation.
    public var calendar: String?

    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        textBody: String,
        htmlBody: String? = nil,
        messageID: String? = nil,
        calendar: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.messageID = messageID
        self.calendar = calendar
    }

    /// `true` when the envelope or the headers need the SMTPUTF8 extension
    /// (only addresses are ever sent as raw UTF-8; subject and names are encoded-words).
    public var requiresSMTPUTF8: Bool {
        from.requiresSMTPUTF8 || to.contains(where: \.requiresSMTPUTF8)
    }

    /// Checks everything that ends up in a header or in the SMTP envelope.
    /// Throws `MailMessageError` on CR/LF (header injection) or malformed addresses.
    public func validate() throws {
        try MailMessage.checkNoLineBreak(subject, field: "Subject")
        try MailMessage.validate(from, field: "From")
        guard !to.isEmpty else { throw MailMessageError.noRecipients }
        for recipient in to {
            try MailMessage.validate(recipient, field: "To")
        }
        if let messageID {
            try MailMessage.checkNoLineBreak(messageID, field: "Message-ID")
            let core = MailMessage.stripAngleBrackets(messageID)
            guard !core.isEmpty,
                  core.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }),
                  !core.contains("<"), !core.contains(">")
            else { throw MailMessageError.invalidMessageID(messageID) }
        }
    }

    /// Renders the message as RFC 5322 bytes with CRLF line endings, ready for SMTP `DATA`
    /// (before dot-stuffing).
    ///
    /// - Parameters:
    ///   - date: value of the `Date` header (rendered in UTC).
    ///   - boundary: MIME boundary for multipart messages; random when `nil`.
    public func render(date: Date = Date(), boundary: String? = nil) throws -> [UInt8] {
        try validate()

        var out = ""
        func header(_ line: String) {
            out += line
            out += "\r\n"
        }

        header("Date: " + MailMessage.rfc5322Date(date))
        header("From: " + MailMessage.formatMailbox(from, headerNameLength: "From: ".utf8.count))
        header("To: " + to.enumerated().map { index, address in
            MailMessage.formatMailbox(address, headerNameLength: index == 0 ? "To: ".utf8.count : 1)
        }.joined(separator: ",\r\n "))
        header("Subject: " + MailMessage.encodeUnstructured(subject, headerNameLength: "Subject: ".utf8.count))
        header("Message-ID: " + resolvedMessageID())
        header("MIME-Version: 1.0")

        // Text, then the HTML alternative, then the invitation; more than one part makes a multipart
        // body (alternative for text/HTML, mixed once an attachment comes along).
        var parts = [(headers: "Content-Type: text/plain; charset=utf-8", content: textBody)]
        if let htmlBody { parts.append(("Content-Type: text/html; charset=utf-8", htmlBody)) }
        if let calendar {
            // Mail programs recognise an invitation by the METHOD repeated in the content type.
            let method = calendar.components(separatedBy: "\r\n").first { $0.hasPrefix("METHOD:") }?.dropFirst(7) ?? "PUBLISH"
            parts.append(("Content-Type: text/calendar; charset=utf-8; method=\(method); name=\"invite.ics\"\r\n"
                          + "Content-Disposition: attachment; filename=\"invite.ics\"", calendar))
        }
        if parts.count == 1 {
            header("Content-Type: text/plain; charset=utf-8")
            header("Content-Transfer-Encoding: base64")
            header("")
            out += MailMessage.base64Body(textBody)
            out += "\r\n"
        } else {
            let boundary = boundary ?? MailMessage.randomBoundary()
            header("Content-Type: multipart/\(calendar == nil ? "alternative" : "mixed");\r\n boundary=\"\(boundary)\"")
            header("")
            out += "This is a multi-part message in MIME format.\r\n"
            for part in parts {
                out += "\r\n--\(boundary)\r\n\(part.headers)\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                out += MailMessage.base64Body(part.content)
            }
            out += "\r\n--\(boundary)--\r\n"
        }
        return Array(out.utf8)
    }

    /// The Message-ID header value including angle brackets.
    func resolvedMessageID() -> String {
        if let messageID {
            return "<" + MailMessage.stripAngleBrackets(messageID) + ">"
        }
        let domainPart = from.address.split(separator: "@").last.map(String.init) ?? ""
        let domain = !domainPart.isEmpty && domainPart.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0 != ">" && $0 != "<" })
            ? domainPart : "localhost"
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return "<\(id)@\(domain)>"
    }
}

// MARK: - Header encoding helpers

extension MailMessage {
    /// Maximum length of one RFC 2047 encoded word.
    static let maxEncodedWordLength = 75
    /// Preferred maximum header line length (RFC 2047 §2 asks for 76 in lines with encoded words).
    static let maxEncodedLineLength = 76
    private static let encodedWordPrefix = "=?UTF-8?B?"
    private static let encodedWordSuffix = "?="

    static func checkNoLineBreak(_ value: String, field: String) throws {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw MailMessageError.headerInjection(field: field)
        }
    }

    static func validate(_ mailbox: MailAddress, field: String) throws {
        try checkNoLineBreak(mailbox.address, field: field)
        if let name = mailbox.name {
            try checkNoLineBreak(name, field: field)
        }
        try validateAddress(mailbox.address)
    }

    /// Minimal, conservative address check: the address is sent inside `<...>` in both the
    /// envelope and the headers, so it must not contain anything that could escape that.
    static func validateAddress(_ address: String) throws {
        if address.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw MailMessageError.headerInjection(field: "address")
        }
        guard let at = address.lastIndex(of: "@"),
              at != address.startIndex,
              address.index(after: at) != address.endIndex,
              address.utf8.count <= 320,
              !address.unicodeScalars.contains(where: { scalar in
                  scalar.value < 0x21 || scalar.value == 0x7F || scalar == "<" || scalar == ">"
                      || scalar.properties.isWhitespace
              })
        else { throw MailMessageError.invalidAddress(address) }
    }

    static func stripAngleBrackets(_ value: String) -> String {
        var core = Substring(value)
        if core.hasPrefix("<") { core = core.dropFirst() }
        if core.hasSuffix(">") { core = core.dropLast() }
        return String(core)
    }

    /// `"Name" <addr>`, `=?UTF-8?B?...?= <addr>` or bare `addr`.
    static func formatMailbox(_ mailbox: MailAddress, headerNameLength: Int) -> String {
        guard let name = mailbox.name, !name.isEmpty else {
            return mailbox.address
        }
        let phrase: String
        let lastLineLength: Int
        if needsEncodedWords(name) || name.utf8.count > 70 {
            let words = encodedWords(for: name, firstLineUsed: headerNameLength)
            phrase = words.joined(separator: "\r\n ")
            lastLineLength = words.count == 1 ? headerNameLength + words[0].utf8.count : 1 + words[words.count - 1].utf8.count
        } else {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            phrase = "\"\(escaped)\""
            lastLineLength = headerNameLength + phrase.utf8.count
        }
        let angleAddress = "<\(mailbox.address)>"
        // Fold before the angle address when it would push the line past 78 characters
        // (+1 for a following comma in address lists).
        let separator = lastLineLength + 1 + angleAddress.utf8.count + 1 > 78 ? "\r\n " : " "
        return phrase + separator + angleAddress
    }

    /// Unstructured header value (Subject): ASCII is folded at spaces; anything else becomes encoded words.
    static func encodeUnstructured(_ value: String, headerNameLength: Int) -> String {
        if !needsEncodedWords(value) {
            if let folded = foldASCII(value, firstLineUsed: headerNameLength) {
                return folded
            }
        }
        return encodedWords(for: value, firstLineUsed: headerNameLength).joined(separator: "\r\n ")
    }

    /// Whether a header text must be encoded: non-ASCII, control characters, or something that
    /// a decoder could mistake for an encoded word.
    static func needsEncodedWords(_ value: String) -> Bool {
        if value.contains("=?") { return true }
        return value.unicodeScalars.contains { scalar in
            !scalar.isASCII || (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
        }
    }

    /// Folds pure ASCII text at spaces so lines stay short. Returns `nil` when a single word
    /// would push a line past the hard 998 character limit (caller then encodes).
    static func foldASCII(_ value: String, firstLineUsed: Int) -> String? {
        let softLimit = 78
        let words = value.split(separator: " ", omittingEmptySubsequences: false)
        var lines: [String] = []
        var current = ""
        var currentUsed = firstLineUsed
        for (index, word) in words.enumerated() {
            let piece = index == 0 ? String(word) : " " + word
            if index > 0, !word.isEmpty, !current.isEmpty, currentUsed + piece.utf8.count > softLimit {
                lines.append(current)
                current = piece  // continuation line starts with the space (folding whitespace)
                currentUsed = piece.utf8.count
            } else {
                current += piece
                currentUsed += piece.utf8.count
            }
            if currentUsed > 998 { return nil }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// Splits `text` into RFC 2047 "B" encoded words (UTF-8), never splitting a UTF-8 sequence,
    /// each word at most 75 characters; the first word additionally fits after `firstLineUsed`
    /// characters of header name within a 76 character line (when that leaves enough room).
    static func encodedWords(for text: String, firstLineUsed: Int) -> [String] {
        let overhead = encodedWordPrefix.utf8.count + encodedWordSuffix.utf8.count
        func maxBytes(forWordLength length: Int) -> Int {
            let base64Chars = ((length - overhead) / 4) * 4
            return (base64Chars / 4) * 3
        }
        let standardMax = maxBytes(forWordLength: maxEncodedWordLength)  // 45 bytes
        let firstRoom = min(maxEncodedWordLength, maxEncodedLineLength - firstLineUsed)
        let firstMax = firstRoom - overhead >= 16 ? maxBytes(forWordLength: firstRoom) : standardMax

        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = firstMax
        func flush() {
            words.append(encodedWordPrefix + Data(chunk).base64EncodedString() + encodedWordSuffix)
            chunk.removeAll(keepingCapacity: true)
            limit = standardMax
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > limit, !chunk.isEmpty {
                flush()
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty {
            flush()
        }
        return words
    }

    /// Base64 of the UTF-8 text with CRLF-normalised line breaks, in lines of 76 characters.
    static func base64Body(_ text: String) -> String {
        let canonical = normalizeLineBreaks(text)
        let encoded = Data(canonical.utf8).base64EncodedString()
        var lines: [Substring] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[index..<end])
            index = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// Converts CRLF, lone CR and lone LF to CRLF (the canonical form of text/* content).
    static func normalizeLineBreaks(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousWasCR { result.append("\r") }
                result.append("\n")
                previousWasCR = false
            } else {
                if previousWasCR { result.append("\n") }
                if scalar == "\r" {
                    result.append("\r")
                    previousWasCR = true
                } else {
                    result.append(scalar)
                    previousWasCR = false
                }
            }
        }
        if previousWasCR { result.append("\n") }
        return String(result)
    }

    static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).leftPadded(to: 2)
        }.joined()
        // "=_" can never appear in base64 content, so the boundary cannot collide with a body.
        return "=_ZeroErrand_\(hex)"
    }

    /// `Tue, 05 Mar 2024 09:07:03 +0000`
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[(c.weekday! - 1) % 7]
        let month = months[(c.month! - 1) % 12]
        func two(_ value: Int?) -> String { String(value ?? 0).leftPadded(to: 2) }
        return "\(weekday), \(two(c.day)) \(month) \(c.year!) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
