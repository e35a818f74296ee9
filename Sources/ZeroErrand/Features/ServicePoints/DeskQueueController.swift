import Fluent
import Vapor
import ZeroErrandCore

/// The walk-in queue at the desk: who waits and since when, call the next, mark served or not
/// there; the day's figures for the point's supervisor.
struct DeskQueueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let desk = routes.grouped(Require(.servicePointDesk))
        desk.get(SiteURL.deskQueue.route, use: show)
        desk.post(SiteURL.deskQueueNext.route, use: callNext)
        desk.post(SiteURL.deskQueueTicket(id: ":id", outcome: ":outcome").route, use: finish)
        desk.get(SiteURL.deskQueueFigures.route, use: figures)
    }

    struct QueuePage: Encodable {
        struct Line: Encodable {
            let number: Int
            let taken: String
            let waited: String
            let matter: String
            let servedPath: String?
            let absentPath: String?
        }

        let point: String
        let localTime: String
        let mine: [Line]
        let waiting: [Line]
        let takePath: String
        let figuresPath: String?
    }

    @Sendable func show(req: Request) async throws -> Response {
        let point = try await req.pointDesk.point()
        let account = try req.requireAccount()
        let today = try await req.walkIn.today(at: point)
        let names = Dictionary(uniqueKeysWithValues: try await ServicePointDeskController.helpedMatters(req).map { ($0.code, $0.name(req.locale)) })
        func line(_ ticket: WalkInTicket, actions: Bool) -> QueuePage.Line {
            let id = ticket.id!.uuidString
            return QueuePage.Line(number: ticket.number, taken: TimeDisplay.clock(ticket.takenAt, in: point.zone),
                                  waited: req.t("queue.waited", ["count": String(Int(req.now.timeIntervalSince(ticket.takenAt) / 60))]),
                                  matter: ticket.matterCode.flatMap { names[$0] } ?? req.t("queue.matter_unsaid"),
                                  servedPath: actions ? SiteURL.deskQueueTicket(id: id, outcome: "served").path : nil,
                                  absentPath: actions ? SiteURL.deskQueueTicket(id: id, outcome: "absent").path : nil)
        }
        let page = QueuePage(point: point.name(req.locale), localTime: TimeDisplay.format(req.now, in: point.zone),
                             mine: today.filter { $0.status == .called && $0.$calledBy.id == account.id }.map { line($0, actions: true) },
                             waiting: today.filter { $0.status == .waiting }.map { line($0, actions: false) },
                             takePath: SiteURL.pointQueue(code: point.code).path,
                             figuresPath: account.roles.contains(.supervisor) ? SiteURL.deskQueueFigures.path : nil)
        return try await req.page("service-points/queue", page, title: "queue.desk_title")
    }

    @Sendable func callNext(req: Request) async throws -> Response {
        let point = try await req.pointDesk.point()
        _ = try await req.walkIn.callNext(at: point)
        return req.redirect(to: .deskQueue)
    }

    @Sendable func finish(req: Request) async throws -> Response {
        let point = try await req.pointDesk.point()
        guard let id = req.parameters.get("id", as: UUID.self),
              let status = req.parameters.get("outcome").flatMap(WalkInRules.Status.init(rawValue:)),
              let ticket = try await WalkInTicket.query(on: req.db).filter(\.$id == id).filter(\.$point.$id == point.requireID()).first()
        else { throw AppError.notFound }
        try await req.walkIn.finish(ticket, as: status)
        return req.redirect(to: .deskQueue)
    }

    struct FiguresPage: Encodable {
        struct MatterLine: Encodable {
            let matter: String
            let count: Int
        }

        let point: String
        let day: String
        let previousDay: String
        let nextDay: String?
        let taken, served, absent, stillWaiting, atDesk: Int
        let averageWait: String
        let longestWait: String
        let matters: [MatterLine]
    }

    struct FiguresQuery: Content { var day: String? }

    /// The point's day: taken, served, not there, the waits, what people came for. The supervisor's.
    @Sendable func figures(req: Request) async throws -> Response {
        guard try req.requireAccount().roles.contains(.supervisor) else { throw AppError.forbidden }
        let point = try await req.pointDesk.point()
        let today = CivilDay(req.now, in: point.zone)
        let day = (try? req.query.decode(FiguresQuery.self))?.day.flatMap(CivilDay.init).map { min($0, today) } ?? today
        let tickets = try await WalkInTicket.query(on: req.db).filter(\.$point.$id == point.requireID())
            .filter(\.$day == day.description).all()
        let figures = WalkInRules.figures(tickets.map(\.facts))
        let names = Dictionary(uniqueKeysWithValues: try await Matter.query(on: req.db).all().map { ($0.code, $0.name(req.locale)) })
        let minutes = { (value: Int?) in value.map { req.t("queue.minutes", ["count": String($0)]) } ?? "–" }
        let page = FiguresPage(point: point.name(req.locale), day: day.description,
                               previousDay: SiteURL.deskQueueFigures.path + "?day=" + day.adding(days: -1).description,
                               nextDay: day < today ? SiteURL.deskQueueFigures.path + "?day=" + day.adding(days: 1).description : nil,
                               taken: figures.taken, served: figures.served, absent: figures.absent, stillWaiting: figures.stillWaiting,
                               atDesk: figures.atDesk,
                               averageWait: minutes(figures.averageWaitMinutes), longestWait: minutes(figures.longestWaitMinutes),
                               matters: figures.matters.map {
                                   FiguresPage.MatterLine(matter: $0.code.flatMap { names[$0] } ?? req.t("queue.matter_unsaid"), count: $0.count)
                               })
        return try await req.page("service-points/queue-figures", page, title: "queue.figures_title")
    }
}
