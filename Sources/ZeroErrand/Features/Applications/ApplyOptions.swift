import Fluent
import Vapor
import ZeroErrandCore

extension Request {
    /// Powers of attorney this person may apply through for `matter`: their own (to name on the
    /// case) and those they hold for someone else (to apply in that person's name).
    func usableMandates(for matter: Matter) async throws -> (own: [Mandate], held: [Mandate]) {
        guard matter.channels.contains(.proxy) else { return ([], []) }
        let accountID = try requireAccount().requireID()
        let today = CivilDay(now, in: Mandate.zone)
        let own = try await Mandate.query(on: db).filter(\.$principal.$id == accountID).filter(\.$status ~~ [.invited, .accepted]).all()
            .filter { $0.mayBeNamed(for: .apply, matterCode: matter.code, caseID: nil, today: today) }
        let held = try await Mandate.query(on: db).filter(\.$proxyAccount.$id == accountID).filter(\.$status == .accepted)
            .with(\.$principal).all()
            .filter { MandateRules.refusal($0.facts, action: .apply, matterCode: matter.code, caseID: nil, today: today) == nil }
        return (own, held)
    }

    /// A material as the catalogue and the apply form list it, with its condition when it has one.
    func materialView(_ material: Matter.Material) -> MaterialView {
        MaterialView(name: material.name(locale), description: material.description(locale), canSupplyLater: material.canSupplyLater,
                     condition: material.condition.map { t("material_condition.\($0.rawValue).badge") })
    }
}
