import Foundation

/// How long two people were connected to a room at the same time: what an official needs before
/// recording "identity confirmed" (they saw the citizen, live, at the appointment).
public enum CoPresence {
    public struct Interval: Sendable, Equatable {
        public var start: Date
        public var end: Date
        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    /// Seconds during which someone of `first` and someone of `second` were both connected, counting
    /// only from `notBefore` (the appointment's start). Overlapping intervals of one side (two tabs,
    /// a reconnect) count once.
    public static func together(_ first: [Interval], _ second: [Interval], notBefore: Date) -> TimeInterval {
        let a = merged(first, from: notBefore), b = merged(second, from: notBefore)
        var total: TimeInterval = 0
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let start = max(a[i].start, b[j].start), end = min(a[i].end, b[j].end)
            if end > start { total += end.timeIntervalSince(start) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return total
    }

    /// Sorted, non-overlapping, clipped to start at `from`; empty and inverted intervals dropped.
    static func merged(_ intervals: [Interval], from: Date) -> [Interval] {
        let clipped = intervals.map { Interval(start: max($0.start, from), end: $0.end) }.filter { $0.end > $0.start }
            .sorted { $0.start < $1.start }
        var result: [Interval] = []
        for interval in clipped {
            if let last = result.last, interval.start <= last.end {
                result[result.count - 1].end = max(last.end, interval.end)
            } else {
                result.append(interval)
            }
        }
        return result
    }
}
