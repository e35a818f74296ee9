import Fluent
import Vapor
import ZeroErrandCore

/// One way to get a matter done, as the matter's page offers it: what happens, and the action
/// that starts it (or why this person cannot start it yet and what to do about it).
struct WayView: Encodable {
    let heading: String
    let text: String
    var actionPath: String?
    var actionLabel: String?
    /// Why the viewer cannot take this way yet (identity level, account kind), said before any form.
    var refusal: String?
    var points: [ServicePointLine] = []
}

struct ServicePointLine: Encodable {
    let name: String
    let city: String
    let address: String
    let email: String
}

extension Request {
    /// Every way this matter can be done, for the person looking (anonymous, citizen, relative):
    /// no matter page leads to a form that then says it cannot be done.
    func ways(for matter: Matter) async throws -> [WayView] {
        let start = ApplicationStart(matter.channels)
        let applyPath = DedicatedForm.path(for: matter) ?? SiteURL.apply(code: matter.code).path
        let citizen = currentAccount.flatMap { $0.kind == .citizen ? $0 : nil }
        let (own, held) = citizen == nil ? ([], []) : try await usableMandates(for: matter)
        var ways: [WayView] = []

        if start.citizenApplies {
            var way = WayView(heading: t(start == .online ? "way.online.heading" : "way.by_video.heading"),
                              text: t(start == .online ? "way.online.text" : "way.by_video.text"),
                              actionPath: applyPath, actionLabel: t(currentAccount == nil ? "way.sign_in_to_apply" : "way.apply"))
            if let account = currentAccount, let refusal = cases.applyRefusal(for: account, to: matter) {
                way.refusal = t(refusal.error.key, refusal.error.arguments)
                (way.actionPath, way.actionLabel) = (refusal.nextStep, refusal.nextStepKey.map { t($0) })
            }
            ways.append(way)
        }
        if matter.channels.contains(.proxy) {
            var way = WayView(heading: t("way.proxy.heading"), text: t("way.proxy.text"),
                              actionPath: SiteURL.mandateNew.path + "?matter=" + matter.code.queryEncoded, actionLabel: t("apply.next.mandate"))
            if !own.isEmpty, start == .throughRelative { (way.actionPath, way.actionLabel) = (applyPath, t("way.proxy.apply_with_own")) }
            ways.append(way)
            for mandate in held {
                ways.append(WayView(heading: t("way.held.heading", ["name": mandate.principal.displayName]), text: t("way.held.text"),
                                    actionPath: applyPath, actionLabel: t("way.held.apply", ["name": mandate.principal.displayName])))
            }
        }
        if matter.channels.contains(.video), start != .byVideo {
            ways.append(WayView(heading: t("way.video.heading"), text: t("way.video.text")))
        }
        if matter.channels.contains(.overseasPoint) {
            // The points whose assistants help with applications; the list page orders them by distance.
            // A matter that asks for an ID photo is helped only where photos are taken.
            let needed: Set<PointOffer> = DeskPhoto.materialIndex(of: matter) == nil ? [.assisted] : [.assisted, .idPhoto]
            let points = try await ServicePoint.query(on: db).sort(\.$country).sort(\.$code).all()
                .filter { needed.isSubset(of: $0.offerSet) }.map {
                    ServicePointLine(name: $0.name(locale), city: $0.city(locale), address: $0.address, email: $0.contactEmail)
                }
            ways.append(WayView(heading: t("way.point.heading"), text: t("way.point.text"),
                                actionPath: SiteURL.servicePoints.path, actionLabel: t("points.all_points"), points: points))
        }
        if matter.channels.contains(.exempt) {
            ways.append(WayView(heading: t("way.exempt.heading"), text: t("way.exempt.text")))
        }
        return ways
    }
}
