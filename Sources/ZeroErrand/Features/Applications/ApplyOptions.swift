import Fluent
import Vapor
import ZeroErrandCore

extension Request {
    /// Powers of attorney this person may apply through for `matter`: their own (to name on the
    /// case) and those they hold for someone else (to apply in that person's name).
    /// `applicant`: at a service point's desk, the visitor (who holds no one's mandate there).
    func usableMandates(for matter: Matter, applicant: Account? = nil) async throws -> (own: [Mandate], held: [Mandate]) {
        guard matter.channels.contains(.proxy) else { return ([], []) }
        let accountID = try (applicant ?? requireAccount()).requireID()
        let today = CivilDay(now, in: Mandate.zone)
        let own = try await Mandate.query(on: db).filter(\.$principal.$id == accountID).filter(\.$status ~~ [.invited, .accepted]).all()
            .filter { $0.mayBeNamed(for: .apply, matterCode: matter.code, caseID: nil, today: today) }
        guard applicant == nil else { return (own, []) }
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
