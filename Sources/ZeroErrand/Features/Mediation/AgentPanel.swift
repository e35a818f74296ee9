import Fluent
import Vapor
import ZeroErrandCore

/// For a party: who acts for them (an agent under a power of attorney), and the form to name or
/// stop one. For an agent: whom they act for. Nothing for the court.
struct AgentPanel: Encodable {
    let current: String?
    let acting: String?
    let formPath: String?
    let mandates: [Choice]
    let mayRemove: Bool
    let writePath: String?

    static let none = AgentPanel(current: nil, acting: nil, formPath: nil, mandates: [], mayRemove: false, writePath: nil)

    static func make(_ req: Request, _ entry: MediationAccess.Entry) async throws -> AgentPanel {
        let loaded = entry.loaded, accountID = try req.requireAccount().requireID()
        guard case .party = entry.viewer, let party = loaded.party(spokenForBy: accountID) else { return .none }
        let mandate = party.mandate
        let agentName = loaded.agent(of: party) == nil ? nil : mandate?.proxyName
        guard party.$account.id == accountID else {
            return AgentPanel(current: nil, acting: req.t("mediation.agent.acting", ["party": party.name]), formPath: nil, mandates: [],
                              mayRemove: false, writePath: nil)
        }
        var current: String?
        if let mandate, let agentName {
            current = req.t(mandate.maySign ? "mediation.agent.current_signs" : "mediation.agent.current", ["name": agentName])
        } else if let mandate {
            // Named, but not (or no longer) speaking: not yet accepted, expired, or revoked.
            current = req.t("mediation.agent.waiting", ["name": mandate.proxyName])
        }
        let open = loaded.mediation.ending == nil
        let choices = open ? try await req.mediations.nameableMandates(for: party, in: loaded).map { mandate in
            Choice(value: mandate.id!.uuidString.lowercased(),
                   label: req.t(mandate.maySign ? "mediation.agent.choice_signs" : "mediation.agent.choice",
                                ["name": mandate.proxyName, "until": mandate.validUntil]),
                   selected: mandate.id == party.$mandate.id)
        } : []
        return AgentPanel(current: current, acting: nil, formPath: open ? SiteURL.mediationAgent(id: loaded.id.uuidString.lowercased()).path : nil,
                          mandates: choices, mayRemove: open && party.$mandate.id != nil,
                          writePath: open ? SiteURL.mandateNew.path + "?matter=" + MediationCourts.mediationMatter : nil)
    }
}
