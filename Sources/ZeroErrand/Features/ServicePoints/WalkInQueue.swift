import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// A service point's walk-in queue: numbers taken by anyone at the door or on their phone, called
/// in order by the point's assistants, the wait estimated from the day so far.
struct WalkInQueue {
    let request: Request

    /// The point by its public code, if it runs a walk-in queue.
    func point(code: String?) async throws -> ServicePoint {
        guard let code, let point = try await ServicePoint.query(on: request.db).filter(\.$code == code).first(),
              point.offerSet.contains(.walkIn) else { throw AppError.notFound }
        return point
    }

    func today(at point: ServicePoint) async throws -> [WalkInTicket] {
        try await WalkInTicket.query(on: request.db).filter(\.$point.$id == point.requireID())
            .filter(\.$day == CivilDay(request.now, in: point.zone).description).sort(\.$number).all()
    }

    /// A new number for today. Refused while the point is closed, and after a few from one client.
    func take(at point: ServicePoint, matter: String?) async throws -> WalkInTicket {
        guard point.openingHours?.isOpen(at: request.now, in: point.zone) ?? false else {
            throw AppError(status: .conflict, key: "queue.closed")
        }
        let key = ThrottleKey("walk-in", try point.requireID().uuidString + "|" + request.throttleClient, secrets: request.dependencies.secrets)
        if let until = try await request.throttles.attempt(key, .walkInFromClient) {
            let seconds = max(1, Int(until.timeIntervalSince(request.now).rounded(.up)))
            throw AppError(status: .tooManyRequests, key: "queue.too_many", arguments: ["count": String((seconds + 59) / 60)], retryAfter: seconds)
        }
        let ticket = WalkInTicket()
        ticket.$point.id = try point.requireID()
        ticket.day = CivilDay(request.now, in: point.zone).description
        ticket.token = request.dependencies.random.token(bytes: 16)
        ticket.matterCode = matter
        ticket.status = .waiting
        ticket.takenAt = request.now
        try await request.audited { db, audit in
            // Inside the audited transaction, which runs one at a time: the next number is free.
            let last = try await WalkInTicket.query(on: db).filter(\.$point.$id == ticket.$point.id).filter(\.$day == ticket.day)
                .sort(\.$number, .descending).first()
            ticket.number = (last?.number ?? 0) + 1
            try await ticket.create(on: db)
            try await audit.record("walk_in.taken", "walk_in_ticket", ticket.id!.uuidString.lowercased(),
                                   ["point": point.code, "number": String(ticket.number)])
        }
        return ticket
    }

    /// The assistant calls the longest-waiting visitor of their point; nil when nobody waits.
    func callNext(at point: ServicePoint) async throws -> WalkInTicket? {
        let assistantID = try request.requireAccount().requireID()
        let (now, day, pointID) = (request.now, CivilDay(request.now, in: point.zone).description, try point.requireID())
        return try await request.audited { db, audit in
            // One visitor at a desk at a time: a second press (or a double click) answers the same one.
            if let current = try await WalkInTicket.query(on: db).filter(\.$point.$id == pointID).filter(\.$day == day)
                .filter(\.$status == .called).filter(\.$calledBy.$id == assistantID).first() { return current }
            guard let next = try await WalkInTicket.query(on: db).filter(\.$point.$id == pointID).filter(\.$day == day)
                .filter(\.$status == .waiting).sort(\.$number).first() else { return nil }
            next.status = .called
            next.calledAt = now
            next.$calledBy.id = assistantID
            try await next.update(on: db)
            try await audit.record("walk_in.called", "walk_in_ticket", next.id!.uuidString.lowercased(), ["number": String(next.number)])
            return next
        }
    }

    /// A called visitor was served, or did not come to the desk.
    func finish(_ ticket: WalkInTicket, as status: WalkInRules.Status) async throws {
        guard ticket.status == .called, [.served, .absent].contains(status) else { throw AppError(status: .conflict, key: "queue.not_called") }
        let now = request.now
        try await request.audited { db, audit in
            ticket.status = status
            if status == .served { ticket.servedAt = now }
            try await ticket.update(on: db)
            try await audit.record("walk_in.\(status.rawValue)", "walk_in_ticket", ticket.id!.uuidString.lowercased(),
                                   ["number": String(ticket.number)])
        }
    }
}

extension Request {
    var walkIn: WalkInQueue { WalkInQueue(request: self) }
}
