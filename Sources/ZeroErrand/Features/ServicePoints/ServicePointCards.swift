import Foundation
import Vapor
import ZeroErrandCore

/// One service point as a visitor reads it: where, when open (on the point's own clock, the zone
/// named), what it offers, how to reach it, and how far it is when the visitor said where they are.
struct ServicePointCard: Encodable {
    let code: String
    let name: String
    let city: String
    let country: String
    let address: String
    let email: String
    let phone: String
    let phoneLink: String
    let hours: [String]
    /// "Open now until 17:30" / "Closed now · opens Monday 09:30", with the point's clock and zone.
    let state: String
    let isOpen: Bool
    /// "help with applications, ID photos, …" in the reader's language.
    let offers: String
    /// "about 12 km", when the visitor gave a city.
    var distance: String?
    /// For the page's script that orders by the visitor's own location, in the browser only.
    let latitude: String
    let longitude: String
    /// Where to take a walk-in number, when the point has a queue.
    let queuePath: String?
}

extension Request {
    func servicePointCard(_ point: ServicePoint, from origin: GeoPoint? = nil) -> ServicePointCard {
        let zone = point.zone, now = self.now
        let hours = point.openingHours
        let state: String
        let isOpen = hours?.isOpen(at: now, in: zone) ?? false
        let clock = ["time": TimeDisplay.clock(now, in: zone), "zone": zone.identifier]
        if let hours, let closing = hours.closing(after: now, in: zone) {
            state = t("points.open_now", clock.merging(["until": OpeningHours.clock(closing)]) { $1 })
        } else if let next = hours?.nextOpening(after: now, in: zone) {
            let today = next.weekday == OpeningHours.weekday(of: now, in: zone)
            state = today ? t("points.closed_now_today", clock.merging(["opens": OpeningHours.clock(next.minute)]) { $1 })
                : t("points.closed_now", clock.merging(["day": t("weekday.\(next.weekday)"), "opens": OpeningHours.clock(next.minute)]) { $1 })
        } else {
            state = t("points.hours_unknown")
        }
        var card = ServicePointCard(
            code: point.code, name: point.name(locale), city: point.city(locale),
            country: point.countryName(locale),
            address: point.address, email: point.contactEmail, phone: point.contactPhone,
            phoneLink: "tel:" + point.contactPhone.filter { $0.isNumber || $0 == "+" },
            hours: hours.map(openingLines) ?? [], state: state, isOpen: isOpen,
            offers: PointOffer.allCases.filter(point.offerSet.contains).map { offer in
                offer == .videoRoom && point.videoRooms > 1 ? t("points.offer.video_rooms", ["count": String(point.videoRooms)])
                    : t("points.offer.\(offer.rawValue)")
            }.joined(separator: t("points.list_separator")),
            latitude: point.latitude.map { String($0) } ?? "", longitude: point.longitude.map { String($0) } ?? "",
            queuePath: point.offerSet.contains(.walkIn) ? SiteURL.pointQueue(code: point.code).path : nil)
        if let origin, let place = point.place {
            let km = Int(origin.kilometres(to: place).rounded())
            card.distance = km < 10 ? t("points.distance_near") : t("points.distance", ["km": String(km)])
        }
        return card
    }

    /// "Monday–Friday 09:30–17:30": days that share the same hours are said once.
    private func openingLines(_ hours: OpeningHours) -> [String] {
        var lines: [(days: [Int], text: String)] = []
        for weekday in 1...7 {
            let spans = hours.spans(on: weekday)
            guard !spans.isEmpty else { continue }
            let text = spans.map { "\(OpeningHours.clock($0.open))–\(OpeningHours.clock($0.close))" }.joined(separator: ", ")
            if let last = lines.last, last.text == text, last.days.last == weekday - 1 {
                lines[lines.count - 1].days.append(weekday)
            } else {
                lines.append(([weekday], text))
            }
        }
        let closed = (1...7).filter { hours.spans(on: $0).isEmpty }.map { t("weekday.\($0)") }
        return lines.map { line in
            let first = t("weekday.\(line.days.first!)"), last = t("weekday.\(line.days.last!)")
            return (line.days.count == 1 ? first : "\(first)–\(last)") + " " + line.text
        } + (closed.isEmpty ? [] : [t("points.closed_days", ["days": closed.joined(separator: t("points.list_separator"))])])
    }
}
