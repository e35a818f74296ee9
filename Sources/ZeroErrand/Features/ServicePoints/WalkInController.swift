import Fluent
import Vapor
import ZeroErrandCore

/// Taking a number at a service point's door (its kiosk or the visitor's phone), and the ticket's
/// own page: the number, how many are ahead, about how long, and a QR code to reopen it.
struct WalkInController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.pointQueue(code: ":code").route, use: takeForm)
        routes.post(SiteURL.pointQueue(code: ":code").route, use: take)
        routes.get(SiteURL.queueTicket(token: ":token").route, use: ticket)
    }

    struct TakePage: Encodable {
        let point: ServicePointCard
        let waiting: Int
        let estimate: String
        let matters: [Choice]
        let path: String
    }

    @Sendable func takeForm(req: Request) async throws -> Response {
        let point = try await req.walkIn.point(code: req.parameters.get("code"))
        let today = try await req.walkIn.today(at: point)
        let waiting = today.filter { $0.status == .waiting }.count
        let page = TakePage(point: req.servicePointCard(point), waiting: waiting,
                            estimate: req.t("queue.estimate", ["count": String(WalkInRules.estimatedWait(ahead: waiting, today: today.map(\.facts),
                                                                                                       now: req.now))]),
                            matters: try await ServicePointDeskController.helpedMatters(req).map {
                                Choice(value: $0.code, label: $0.name(req.locale), selected: false)
                            },
                            path: SiteURL.pointQueue(code: point.code).path)
        return try await req.page("service-points/take-number", page, title: "queue.take_title")
    }

    struct TakeForm: Content { var matter: String? }

    @Sendable func take(req: Request) async throws -> Response {
        let point = try await req.walkIn.point(code: req.parameters.get("code"))
        let chosen = try req.content.decode(TakeForm.self).matter
        let matter = try await ServicePointDeskController.helpedMatters(req).first { $0.code == chosen }?.code
        let ticket = try await req.walkIn.take(at: point, matter: matter)
        return req.redirect(to: .queueTicket(token: ticket.token))
    }

    struct TicketPage: Encodable {
        let number: Int
        let point: String
        let taken: String
        let status: String
        let statusCode: String
        let ahead: String?
        let qrSVG: String
        let refresh: Bool
        /// After being called and not there: where to take a new number.
        let takePath: String?
    }

    @Sendable func ticket(req: Request) async throws -> Response {
        guard let token = req.parameters.get("token"), token.count <= 64,
              let ticket = try await WalkInTicket.query(on: req.db).filter(\.$token == token).with(\.$point).first()
        else { throw AppError.notFound }
        let point = ticket.point
        var ahead: String?
        if ticket.status == .waiting {
            let today = try await req.walkIn.today(at: point)
            let before = today.filter { $0.status == .waiting && $0.number < ticket.number }.count
            ahead = req.t("queue.ahead", ["count": String(before),
                                          "minutes": String(WalkInRules.estimatedWait(ahead: before, today: today.map(\.facts), now: req.now))])
        }
        let status = switch ticket.status {
        case .waiting: req.t("queue.status.waiting")
        case .called: req.t("queue.status.called")
        case .served: req.t("queue.status.served")
        case .absent: req.t("queue.status.absent")
        }
        let url = SiteURL.queueTicket(token: ticket.token).absolute(req.dependencies.config)
        let page = TicketPage(number: ticket.number, point: point.name(req.locale), taken: TimeDisplay.format(ticket.takenAt, in: point.zone),
                              status: status, statusCode: ticket.status.rawValue, ahead: ahead,
                              qrSVG: try QRImage.svg(url, title: req.t("queue.qr_label")),
                              refresh: [.waiting, .called].contains(ticket.status),
                              takePath: ticket.status == .absent ? SiteURL.pointQueue(code: point.code).path : nil)
        return try await req.page("service-points/ticket", page, title: "queue.ticket_title")
    }
}
