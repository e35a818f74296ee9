import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// A party names an agent: the relative or lawyer of one of their powers of attorney that covers
/// the mediation matter. From then on the agent reads what the party reads and, where the mandate
/// allows signing, signs for them (`MediationRecord.speakers` decides, per day, from the mandate).
extension MediationService {
    /// The party's own powers of attorney that may be named here today.
    func nameableMandates(for party: MediationParty, in loaded: MediationRecord) async throws -> [Mandate] {
        guard let principal = party.$account.id else { return [] }
        let today = CivilDay(request.now, in: Mandate.zone)
        return try await Mandate.query(on: request.db).filter(\.$principal.$id == principal).sort(\.$createdAt, .descending).limit(50).all()
            .filter { $0.mayBeNamed(for: .view, matterCode: MediationCourts.mediationMatter, caseID: loaded.record.id, today: today) }
    }

    /// Names the agent of `mandateID` for the viewer's own party, or removes the agent (nil). Only
    /// the party's own account does this, never the agent; an agent who is (or will be served as)
    /// another party of the mediation is refused, so no one reads both sides.
    func nameAgent(_ loaded: MediationRecord, mandate mandateID: UUID?) async throws {
        let account = try request.requireAccount(), accountID = try account.requireID()
        guard let party = loaded.parties.first(where: { $0.$account.id == accountID }), let partyID = party.id else {
            throw AppError(status: .forbidden, key: "mediation.error.agent_party_only")
        }
        guard loaded.mediation.ending == nil else { throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey) }
        var named: Mandate?
        if let mandateID {
            guard let mandate = try await nameableMandates(for: party, in: loaded).first(where: { $0.id == mandateID }) else {
                throw AppError(status: .unprocessableEntity, key: "mandate.error.does_not_cover")
            }
            // Taken: the parties, and whoever another party named (accepted or only invited: the
            // invitation's address is who will accept it).
            let others = loaded.parties.filter { $0.id != partyID }
            let takenAccounts = Set(loaded.parties.compactMap { $0.$account.id } + others.compactMap { $0.mandate?.$proxyAccount.id })
            let takenEmails = Set(loaded.parties.map(\.email) + others.compactMap { $0.mandate.flatMap { EmailAddress.normalize($0.proxyEmail) } })
            if EmailAddress.normalize(mandate.proxyEmail).map(takenEmails.contains) == true
                || mandate.$proxyAccount.id.map(takenAccounts.contains) == true {
                throw AppError(status: .unprocessableEntity, key: "mediation.error.agent_is_party")
            }
            named = mandate
        }
        let chosen = named
        let now = request.now, mediationID = loaded.id
        let outbox = request.application.outbox, config = request.dependencies.config
        let principalName = party.name
        try await request.audited { db, audit in
            guard let row = try await MediationParty.find(partyID, on: db), let mediation = try await Mediation.find(mediationID, on: db),
                  mediation.ending == nil else { throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey) }
            let before = row.$mandate.id
            row.$mandate.id = try chosen?.requireID()
            try await row.update(on: db)
            try await audit.record(chosen == nil ? "mediation.agent_removed" : "mediation.agent_named", "mediation",
                                   mediationID.uuidString.lowercased(),
                                   ["party": partyID.uuidString.lowercased(), "mandate": (chosen?.id ?? before)?.uuidString.lowercased() ?? ""])
            try await CaseEvent(caseID: loaded.record.requireID(), at: now, actorID: accountID, kind: .action,
                                name: chosen == nil ? "mediation_agent_removed" : "mediation_agent_named", statusAfter: nil,
                                note: principalName).create(on: db)
            if let chosen, chosen.id != before {
                try await outbox.enqueueBilingual(to: chosen.proxyEmail, subjectKey: "mail.mediation.agent.subject", bodyKey: "mail.mediation.agent.body",
                                                  arguments: ["name": chosen.proxyName, "party": principalName, "number": loaded.record.number,
                                                              "link": SiteURL.mediation(id: mediationID.uuidString.lowercased()).absolute(config)],
                                                  on: db)
            }
        }
    }
}
