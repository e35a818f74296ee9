import Foundation

/// The walk-in queue of a service point: how long a visitor will wait, and the day's figures for
/// the point's supervisor. Pure: the app gives the day's tickets.
public enum WalkInRules {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case waiting, called, served, absent
    }

    public struct Ticket: Sendable, Equatable {
        public var takenAt: Date
        public var calledAt: Date?
        public var servedAt: Date?
        public var calledBy: UUID?
        public var matter: String?
        public var status: Status

        public init(takenAt: Date, calledAt: Date? = nil, servedAt: Date? = nil, calledBy: UUID? = nil, matter: String? = nil, status: Status) {
            (self.takenAt, self.calledAt, self.servedAt, self.calledBy, self.matter, self.status) = (takenAt, calledAt, servedAt, calledBy, matter, status)
        }
    }

    /// Until the day has served someone, a visit is reckoned at this many minutes.
    public static let usualVisitMinutes = 12.0
    /// The usual figure counts as this many of the day's visits, so that one quick visit early in
    /// the day does not make everyone's wait look like a minute.
    static let usualVisitWeight = 3.0

    /// Minutes a visit takes today (called to served), drawn towards the usual figure while the day
    /// has served few.
    public static func visitMinutes(_ today: [Ticket]) -> Double {
        let visits = today.compactMap { ticket in
            ticket.calledAt.flatMap { called in ticket.servedAt.map { $0.timeIntervalSince(called) / 60 } }
        }
        return (visits.reduce(0, +) + usualVisitMinutes * usualVisitWeight) / (Double(visits.count) + usualVisitWeight)
    }

    /// Desks working now: assistants who called someone in the last hour (at least one).
    public static func desksOpen(_ today: [Ticket], now: Date) -> Int {
        max(1, Set(today.filter { ($0.calledAt ?? .distantPast) > now.addingTimeInterval(-3600) }.compactMap(\.calledBy)).count)
    }

    /// About how many minutes someone with `ahead` people before them will wait.
    public static func estimatedWait(ahead: Int, today: [Ticket], now: Date) -> Int {
        Int((Double(ahead) * visitMinutes(today) / Double(desksOpen(today, now: now))).rounded(.up))
    }

    public struct Figures: Sendable, Equatable {
        public var taken: Int
        public var served: Int
        public var absent: Int
        public var stillWaiting: Int
        /// Called and not yet marked served or not there: at a desk now.
        public var atDesk: Int = 0
        /// From taking the number to being called, for those called; nil when nobody was.
        public var averageWaitMinutes: Int?
        public var longestWaitMinutes: Int?
        /// Matter code (or nil for "not said") and how many came for it, most first.
        public var matters: [(code: String?, count: Int)]

        public static func == (a: Figures, b: Figures) -> Bool {
            (a.taken, a.served, a.absent, a.stillWaiting, a.atDesk) == (b.taken, b.served, b.absent, b.stillWaiting, b.atDesk)
                && (a.averageWaitMinutes, a.longestWaitMinutes) == (b.averageWaitMinutes, b.longestWaitMinutes)
                && a.matters.map(\.code) == b.matters.map(\.code) && a.matters.map(\.count) == b.matters.map(\.count)
        }
    }

    public static func figures(_ tickets: [Ticket]) -> Figures {
        let waits = tickets.compactMap { ticket in ticket.calledAt.map { $0.timeIntervalSince(ticket.takenAt) / 60 } }
        var counts: [String?: Int] = [:]
        for ticket in tickets { counts[ticket.matter, default: 0] += 1 }
        let matters = counts.map { (code: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : ($0.code ?? "~") < ($1.code ?? "~") }
        return Figures(taken: tickets.count, served: tickets.filter { $0.status == .served }.count,
                       absent: tickets.filter { $0.status == .absent }.count,
                       stillWaiting: tickets.filter { $0.status == .waiting }.count,
                       atDesk: tickets.filter { $0.status == .called }.count,
                       averageWaitMinutes: waits.isEmpty ? nil : Int((waits.reduce(0, +) / Double(waits.count)).rounded()),
                       longestWaitMinutes: waits.max().map { Int($0.rounded()) }, matters: matters)
    }
}
