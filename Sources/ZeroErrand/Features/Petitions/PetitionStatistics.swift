import Fluent
import Vapor
import ZeroErrandCore

/// Public figures on petitions (no personal data): received, accepted, answered on time and
/// satisfaction, by month and by office, with a bar chart drawn here as SVG.
struct PetitionStatisticsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.petitionStatistics.route, use: show)
    }

    struct Figures: Encodable {
        var received = 0
        var accepted = 0
        var answered = 0
        var onTime = 0
        var rated = 0
        var satisfied = 0
        var onTimeShare: String { share(onTime, answered) }
        var satisfiedShare: String { share(satisfied, rated) }

        private func share(_ part: Int, _ whole: Int) -> String { whole == 0 ? "–" : "\(part * 100 / whole)%" }

        mutating func count(_ petition: Petition, answeredHere: Bool, receivedHere: Bool) {
            if receivedHere {
                received += 1
                if petition.acceptedOn != nil { accepted += 1 }
            }
            if answeredHere {
                answered += 1
                if petition.answeredOnTime == true { onTime += 1 }
                if let satisfaction = petition.satisfaction {
                    rated += 1
                    if satisfaction == .satisfied { satisfied += 1 }
                }
            }
        }

        enum CodingKeys: String, CodingKey { case received, accepted, answered, onTime, rated, satisfied, onTimeShare, satisfiedShare }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(received, forKey: .received)
            try container.encode(accepted, forKey: .accepted)
            try container.encode(answered, forKey: .answered)
            try container.encode(onTime, forKey: .onTime)
            try container.encode(rated, forKey: .rated)
            try container.encode(satisfied, forKey: .satisfied)
            try container.encode(onTimeShare, forKey: .onTimeShare)
            try container.encode(satisfiedShare, forKey: .satisfiedShare)
        }
    }

    struct Row: Encodable {
        let label: String
        let figures: Figures
    }

    /// One month as a horizontal bar: rows stack down the page, so a phone's width is enough.
    struct Bar: Encodable {
        let label: String
        let y: Int
        let textY: Int
        let receivedWidth: Int
        let acceptedWidth: Int
        let valueX: Int
        let received: Int
        let title: String
    }

    struct Page: Encodable {
        let months: [Row]
        let offices: [Row]
        let total: Figures
        let bars: [Bar]
        let chartWidth: Int
        let chartHeight: Int
        let plotLeft: Int
    }

    static let monthsShown = 12
    static let rowHeight = 22
    static let plotLeft = 62
    static let plotWidth = 210

    @Sendable func show(req: Request) async throws -> Response {
        let today = req.petitions.today
        var months: [(year: Int, month: Int)] = []
        var (year, month) = (today.year, today.month)
        for _ in 0..<Self.monthsShown {
            months.insert((year, month), at: 0)
            (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1)
        }
        let first = String(format: "%04d-%02d-01", months[0].year, months[0].month)
        let petitions = try await Petition.query(on: req.db).filter(\.$receivedOn >= first).all()
        let offices = try await Department.query(on: req.db).sort(\.$code).all()
        let monthKey = { (day: String) in String(day.prefix(7)) }
        var byMonth: [String: Figures] = [:], byOffice: [UUID: Figures] = [:], total = Figures()
        for petition in petitions {
            byMonth[monthKey(petition.receivedOn), default: Figures()].count(petition, answeredHere: petition.answeredOn != nil, receivedHere: true)
            total.count(petition, answeredHere: petition.answeredOn != nil, receivedHere: true)
            // By office: received where registered, answered where the first opinion was given.
            byOffice[petition.$registrar.id, default: Figures()].count(petition, answeredHere: false, receivedHere: true)
            if let office = petition.$answeredBy.id { byOffice[office, default: Figures()].count(petition, answeredHere: true, receivedHere: false) }
        }
        let monthRows = months.map { month in
            let key = String(format: "%04d-%02d", month.year, month.month)
            return Row(label: key, figures: byMonth[key] ?? Figures())
        }
        let officeRows = offices.compactMap { office in office.id.flatMap { byOffice[$0] }.map { Row(label: office.name(req.locale), figures: $0) } }
        let maximum = max(1, monthRows.map(\.figures.received).max() ?? 0)
        let bars = monthRows.enumerated().map { index, row in
            let received = row.figures.received * Self.plotWidth / maximum, accepted = row.figures.accepted * Self.plotWidth / maximum
            return Bar(label: row.label, y: index * Self.rowHeight + 4, textY: index * Self.rowHeight + 18, receivedWidth: received,
                       acceptedWidth: accepted, valueX: Self.plotLeft + received + 4, received: row.figures.received,
                       title: req.t("petition.stats.bar", ["month": row.label, "received": String(row.figures.received),
                                                           "accepted": String(row.figures.accepted)]))
        }
        // The tables list only months with petitions; the chart shows all twelve.
        let page = Page(months: monthRows.filter { $0.figures.received > 0 }, offices: officeRows, total: total, bars: bars,
                        chartWidth: Self.plotLeft + Self.plotWidth + 30, chartHeight: Self.monthsShown * Self.rowHeight + 8, plotLeft: Self.plotLeft)
        return try await req.page("petitions/statistics", page, title: "petition.stats.title")
    }
}
