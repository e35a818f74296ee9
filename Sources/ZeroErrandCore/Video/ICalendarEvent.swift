import Foundation

/// One appointment as an iCalendar object (RFC 5545) for mail attachments. Times are written in
/// UTC ("...Z"), which every calendar program converts to its own zone, so no VTIMEZONE is needed
/// and a daylight-saving change between booking and appointment cannot shift the event.
public struct ICalendarEvent: Sendable, Equatable {
    public enum Method: String, Sendable { case request = "REQUEST", cancel = "CANCEL" }

    /// Stable across updates of the same appointment, so a rebooking replaces the old entry.
    public var uid: String
    /// Raised each time the appointment changes (RFC 5546: the higher sequence wins).
    public var sequence: Int
    public var method: Method
    public var start: Date
    public var end: Date
    public var stamp: Date
    public var summary: String
    public var description: String
    public var url: String
    public var organizerName: String
    public var organizerEmail: String
    public var attendeeName: String
    public var attendeeEmail: String

    public init(uid: String, sequence: Int, method: Method, start: Date, end: Date, stamp: Date, summary: String,
                description: String, url: String, organizerName: String, organizerEmail: String,
                attendeeName: String, attendeeEmail: String) {
        self.uid = uid
        self.sequence = sequence
        self.method = method
        self.start = start
        self.end = end
        self.stamp = stamp
        self.summary = summary
        self.description = description
        self.url = url
        self.organizerName = organizerName
        self.organizerEmail = organizerEmail
        self.attendeeName = attendeeName
        self.attendeeEmail = attendeeEmail
    }

    /// The object's text with CRLF line ends and long lines folded.
    public func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//ZeroErrand//Video appointments//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:\(method.rawValue)",
            "BEGIN:VEVENT",
            "UID:\(Self.escape(uid))",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(Self.utc(stamp))",
            "DTSTART:\(Self.utc(start))",
            "DTEND:\(Self.utc(end))",
            "SUMMARY:\(Self.escape(summary))",
            "DESCRIPTION:\(Self.escape(description))",
            "URL:\(url)",
            "ORGANIZER;CN=\(Self.parameter(organizerName)):mailto:\(organizerEmail)",
            "ATTENDEE;CN=\(Self.parameter(attendeeName));ROLE=REQ-PARTICIPANT:mailto:\(attendeeEmail)",
            "STATUS:\(method == .cancel ? "CANCELLED" : "CONFIRMED")",
            "TRANSP:OPAQUE",
        ]
        if method == .request {
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:\(Self.escape(summary))", "TRIGGER:-PT15M", "END:VALARM"]
        }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks are escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r\n", "\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Parameter values are quoted; quotes and line breaks cannot appear in them at all.
    static func parameter(_ text: String) -> String {
        "\"" + text.filter { $0 != "\"" && !$0.isNewline } + "\""
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a
    /// UTF-8 sequence (Chinese text is three octets a character).
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if count + width > 75 {
                result += "\r\n "
                count = 1
            }
            result.unicodeScalars.append(scalar)
            count += width
        }
        return result
    }
}
