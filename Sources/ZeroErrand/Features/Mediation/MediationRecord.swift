import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// A mediation as stored, read back into what Core's rules and the record policy decide on.
struct MediationRecord: Sendable {
    let mediation: Mediation
    let parties: [MediationParty]
    let record: Case
    let court: Department
    /// Who speaks for each party today: its own account and, under a live mandate that covers the
    /// mediation matter, its agent.
    let speakers: [UUID: [UUID]]
    /// The saved versions, oldest first, and every signature given on any of them.
    let agreements: [MediationAgreement]
    let signatures: [AgreementSignature]
    let ruling: CourtRuling?

    var agreement: MediationAgreement? { agreements.last }

    static func load(_ id: UUID, on db: any Database, today: CivilDay) async throws -> MediationRecord? {
        guard let mediation = try await Mediation.query(on: db).filter(\.$id == id).with(\.$court).first(),
              let record = try await Case.find(mediation.$caseRecord.id, on: db) else { return nil }
        let parties = try await MediationParty.query(on: db).filter(\.$mediation.$id == id).with(\.$mandate).sort(\.$position).all()
        let speakers = speakersByParty(parties, today: today)
        let agreements = try await MediationAgreement.query(on: db).filter(\.$mediation.$id == id).sort(\.$version).all()
        let signatures = try await AgreementSignature.query(on: db).filter(\.$mediation.$id == id).with(\.$signature).sort(\.$signedAt).all()
        let ruling = try await CourtRuling.query(on: db).filter(\.$mediation.$id == id).first()
        return MediationRecord(mediation: mediation, parties: parties, record: record, court: mediation.court, speakers: speakers,
                               agreements: agreements, signatures: signatures, ruling: ruling)
    }

    /// Each party's own account and, under a live mandate that covers the mediation matter, its
    /// agent. An agent speaks for one party only: one named by two parties (on either side, however
    /// the mandates were invited and accepted) or who is a party themselves speaks for none, so
    /// nobody ever reads both sides' private papers.
    static func speakersByParty(_ parties: [MediationParty], today: CivilDay) -> [UUID: [UUID]] {
        let partyAccounts = Set(parties.compactMap { $0.$account.id })
        var agents: [UUID: UUID] = [:]
        for party in parties {
            guard let mandate = party.mandate, let agent = mandate.$proxyAccount.id, mandate.$principal.id == party.$account.id,
                  MandateRules.refusal(mandate.facts, action: .view, matterCode: MediationCourts.mediationMatter, caseID: nil, today: today) == nil
            else { continue }
            agents[party.id!] = agent
        }
        var named: [UUID: Int] = [:]
        for party in parties { if let mandate = party.mandate, let agent = mandate.$proxyAccount.id { named[agent, default: 0] += 1 } }
        var speakers: [UUID: [UUID]] = [:]
        for party in parties {
            guard let partyID = party.id else { continue }
            var accounts = party.$account.id.map { [$0] } ?? []
            if let agent = agents[partyID], named[agent] == 1, !partyAccounts.contains(agent) { accounts.append(agent) }
            speakers[partyID] = accounts
        }
        return speakers
    }

    var id: UUID { mediation.id! }

    /// The agent speaking for `party` today, if any (see `speakersByParty`).
    func agent(of party: MediationParty) -> UUID? {
        (speakers[party.id!] ?? []).first { $0 != party.$account.id }
    }

    /// The party `account` speaks for, if any (an account speaks for one party of a mediation).
    func party(spokenForBy account: UUID) -> MediationParty? {
        parties.first { party in speakers[party.id!]?.contains(account) ?? false }
    }

    var accessFacts: RecordAccess.MediationFacts {
        var accounts: [UUID: MediationSide] = [:]
        for party in parties {
            for account in speakers[party.id!] ?? [] { accounts[account] = party.side }
        }
        return RecordAccess.MediationFacts(court: mediation.$court.id, mediator: mediation.$mediator.id, judge: mediation.$judge.id,
                                           partyAccounts: accounts, filed: record.submittedAt != nil)
    }

    /// The state the rules decide on.
    func state(courtCode: CourtCode) -> MediationState {
        var interested = Set(speakers.values.flatMap { $0 })
        interested.formUnion(parties.compactMap { $0.$account.id })
        let assignment = mediation.$mediator.id.flatMap { mediator in mediation.$judge.id.map { MediationAssignment(mediator: mediator, judge: $0) } }
        // A stored ending always reads as ended, whatever detail is missing: the rules then refuse every step.
        let at = mediation.endedAt ?? mediation.updatedAt
        var ending: MediationEnding?
        switch mediation.ending {
        case .declined?: ending = .declined(party: mediation.endingPartyID ?? UUID(), reason: mediation.endingReason ?? "", at: at)
        case .confirmed?:
            if let ruling, let number = CourtCaseNumber.parse(ruling.number, court: courtCode, kind: .specialProcedure) {
                ending = .confirmed(judge: ruling.issuedBy, number: number, version: ruling.agreementVersion, at: ruling.issuedAt)
            } else {
                ending = .refused(judge: mediation.endedBy ?? UUID(), reason: "", at: at)
            }
        case .refused?: ending = .refused(judge: mediation.endedBy ?? UUID(), reason: mediation.endingReason ?? "", at: at)
        case nil: ending = nil
        }
        return MediationState(court: courtCode, parties: parties.map { ZeroErrandCore.MediationParty(id: $0.id!, side: $0.side) },
                              interested: interested, served: Set(parties.filter { $0.servedAt != nil }.compactMap(\.id)),
                              assignment: assignment,
                              agreement: agreement.flatMap { row in SHA256Hash(hex: row.sha256).map { MediationAgreementVersion(sha256: $0, version: row.version) } },
                              signatures: signatures.compactMap { row in
                                  SHA256Hash(hex: row.sha256).map { MediationSignature(party: row.$party.id, signer: row.signature.$account.id, sha256: $0, version: row.version) }
                              },
                              ending: ending)
    }
}
