import Foundation

/// When a service point's door is open, in the point's own wall-clock time: "mon-fri 09:30-17:30;
/// sat 10:00-14:00". Kept as that text (the catalogue file and the administrator's form both say it
/// so), parsed here once, and asked "open now?" in the point's zone so a clock change is counted.
public struct OpeningHours: Sendable, Equatable {
    public struct Span: Sendable, Equatable {
        /// ISO weekdays, 1 = Monday … 7 = Sunday.
        public var weekdays: [Int]
        /// Minutes after local midnight; `close` is after `open` (no span runs past midnight).
        public var open: Int
        public var close: Int
    }

    public var spans: [Span]

    public enum Problem: Error, Sendable, Equatable {
        case empty
        /// The part of the text that could not be read, as written.
        case unreadable(String)
        case closesBeforeOpening(String)
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public static func parse(_ text: String) throws(Problem) -> OpeningHours {
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw .empty }
        return OpeningHours(spans: try parts.map { part throws(Problem) in try span(part) })
    }

    private static func span(_ part: String) throws(Problem) -> Span {
        let words = part.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, let days = weekdays(String(words[0])) else { throw .unreadable(part) }
        let times = words[1].split(separator: "-")
        guard times.count == 2, let open = minute(times[0]), let close = minute(times[1]) else { throw .unreadable(part) }
        guard close > open else { throw .closesBeforeOpening(part) }
        return Span(weekdays: days, open: open, close: close)
    }

    /// "mon-fri", "sat", "mon,wed,fri".
    private static func weekdays(_ text: String) -> [Int]? {
        var days: [Int] = []
        for piece in text.split(separator: ",") {
            let ends = piece.split(separator: "-").map { dayNames.firstIndex(of: String($0)).map { $0 + 1 } }
            guard let first = ends.first ?? nil, ends.count <= 2 else { return nil }
            let last = ends.count == 2 ? ends[1] : first
            guard let last, last >= first else { return nil }
            days += Array(first...last)
        }
        return days.isEmpty ? nil : days
    }

    private static func minute(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60 else { return nil }
        return hour * 60 + minute
    }

    /// The spans of one ISO weekday, earliest first.
    public func spans(on weekday: Int) -> [(open: Int, close: Int)] {
        spans.filter { $0.weekdays.contains(weekday) }.map { ($0.open, $0.close) }.sorted { $0.open < $1.open }
    }

    /// Whether the door is open at `date`, on the wall clock of `zone`.
    public func isOpen(at date: Date, in zone: TimeZone) -> Bool {
        let (weekday, minute) = Self.wallClock(date, in: zone)
        return spans(on: weekday).contains { $0.open <= minute && minute < $0.close }
    }

    /// The next opening after `date` (within a week), as the ISO weekday and minute of the point's clock.
    public func nextOpening(after date: Date, in zone: TimeZone) -> (weekday: Int, minute: Int)? {
        let (today, now) = Self.wallClock(date, in: zone)
        for ahead in 0...7 {
            let weekday = (today - 1 + ahead) % 7 + 1
            if let span = spans(on: weekday).first(where: { ahead > 0 || $0.open > now }) { return (weekday, span.open) }
        }
        return nil
    }

    /// When today's open span ends, if the door is open at `date`.
    public func closing(after date: Date, in zone: TimeZone) -> Int? {
        let (weekday, minute) = Self.wallClock(date, in: zone)
        return spans(on: weekday).first { $0.open <= minute && minute < $0.close }?.close
    }

    /// Whether [start, end) lies wholly inside one open span of one day on the point's clock: a
    /// video session taken at the point must begin and end while its door is open.
    public func covers(start: Date, end: Date, in zone: TimeZone) -> Bool {
        guard end > start else { return false }
        let (weekday, minute) = Self.wallClock(start, in: zone)
        let length = Int((end.timeIntervalSince(start) / 60).rounded(.up))
        return spans(on: weekday).contains { $0.open <= minute && minute + length <= $0.close }
    }

    /// The canonical text, as `parse` reads it back.
    public var text: String {
        spans.map { span in
            let days = span.weekdays
            let isRun = days == Array((days.first ?? 1)...(days.last ?? 1))
            let dayText = isRun && days.count > 1 ? "\(Self.dayNames[days.first! - 1])-\(Self.dayNames[days.last! - 1])"
                : days.map { Self.dayNames[$0 - 1] }.joined(separator: ",")
            return "\(dayText) \(Self.clock(span.open))-\(Self.clock(span.close))"
        }.joined(separator: "; ")
    }

    public static func clock(_ minute: Int) -> String {
        String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    /// The ISO weekday of `date` on the wall clock of `zone`.
    public static func weekday(of date: Date, in zone: TimeZone) -> Int { wallClock(date, in: zone).weekday }

    static func wallClock(_ date: Date, in zone: TimeZone) -> (weekday: Int, minute: Int) {
        let parts = CivilDay.gregorian(zone).dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar weekdays are 1 = Sunday; ISO's are 1 = Monday.
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1
        return (weekday, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }
}

extension OpeningHours.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "no opening hours given"
        case .unreadable(let part): "'\(part)' is not days and hours"
        case .closesBeforeOpening(let part): "'\(part)' closes before it opens"
        }
    }
}
