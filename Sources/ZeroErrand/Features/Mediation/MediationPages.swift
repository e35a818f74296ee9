import Fluent
import Vapor
import ZeroErrandCore

struct MediationListPage: Encodable {
    struct Item: Encodable {
        let path: String
        let claim: String
        let side: String
        let filed: String
    }

    let items: [Item]
    let newPath: String?
}

/// The request form: the dispute, the filer's own hours, and party rows (blank rows are ignored).
struct MediationFormPage: Encodable {
    struct Row: Encodable {
        let index: Int
        let legend: String
        let sides: [Choice]
        let kinds: [Choice]
        let name: String
        let email: String
        let country: String
        let timeZone: String
        let wakingStart: String
        let wakingEnd: String
        let errors: [String: String]
    }

    let action: String
    let kinds: [Choice]
    let currencies: [Choice]
    let amount: String
    let claim: String
    let facts: String
    let filerName: String
    let filerEmail: String
    let filerCountry: String
    let filerTimeZone: String
    let filerWakingStart: String
    let filerWakingEnd: String
    let zones: [String]
    let rows: [Row]
    let errors: [String: String]
    let errorList: [FieldErrorLine]

    static let rowCount = 6

    static func make(_ req: Request, form: MediationFiling.Form, account: Account, errors keys: [String: String]) -> MediationFormPage {
        let errors = keys.mapValues { req.t($0) }
        let choices = { (values: [String], prefix: String, selected: String?) in
            values.map { Choice(value: $0, label: req.t("\(prefix).\($0)"), selected: $0 == selected) }
        }
        let given = form.parties ?? []
        let rows = (0..<max(rowCount, given.count)).map { index -> Row in
            let row = index < given.count ? given[index] : MediationFiling.Form.PartyRow()
            let prefix = "parties_\(index)_"
            return Row(index: index, legend: req.t("mediation.new.party", ["n": String(index + 1)]),
                       sides: choices(MediationSide.allCases.map(\.rawValue), "mediation.side", row.side),
                       kinds: choices(MediationParty.Kind.allCases.map(\.rawValue), "mediation.party_kind", row.kind ?? "person"),
                       name: row.name ?? "", email: row.email ?? "", country: row.country ?? "", timeZone: row.timeZone ?? "",
                       wakingStart: row.wakingStart ?? "", wakingEnd: row.wakingEnd ?? "",
                       errors: errors.filter { $0.key.hasPrefix(prefix) }.reduce(into: [:]) { $0[String($1.key.dropFirst(prefix.count))] = $1.value })
        }
        let order = ["kind", "amount", "currency", "claim", "facts", "filerCountry", "filerTimeZone", "filerWakingStart", "parties"]
        let errorList = FieldErrorLine.list(errors, order: order)
            .map { FieldErrorLine(field: $0.field.replacingOccurrences(of: "_", with: "-"), message: $0.message) }
        return MediationFormPage(
            action: SiteURL.mediations.path,
            kinds: choices(Mediation.DisputeKind.allCases.map(\.rawValue), "mediation.kind", form.kind),
            currencies: MediationFiling.currencies.map { Choice(value: $0.code, label: $0.code, selected: $0.code == (form.currency ?? "EUR")) },
            amount: form.amount ?? "", claim: form.claim ?? "", facts: form.facts ?? "",
            filerName: account.displayName, filerEmail: account.email, filerCountry: form.filerCountry ?? "", filerTimeZone: form.filerTimeZone ?? account.timeZone,
            filerWakingStart: form.filerWakingStart ?? "", filerWakingEnd: form.filerWakingEnd ?? "",
            zones: TimeZone.knownTimeZoneIdentifiers.sorted(), rows: rows, errors: errors, errorList: errorList)
    }
}

/// One mediation as the viewer may see it.
struct MediationPage: Encodable {
    struct PartyLine: Encodable {
        let side: String
        let name: String
        let kind: String
        let country: String
        let zone: String
        /// Served at …, or not served (with when the papers went and whether reminded); for the court and mediator.
        let service: String?
        let notServed: Bool
        /// "(you)", or "(represented by you)" to their agent; nil for everyone else.
        let you: String?
        /// "Agent: …" where the party acts through one today.
        let agent: String?
    }

    struct NoteLine: Encodable {
        let audience: String
        let author: String
        let when: String
        let body: String
    }

    let number: String
    let casePath: String?
    let court: String
    let kind: String
    let amount: String
    let claim: String
    let status: String
    let viewerRole: String
    let mediator: String?
    let judge: String?
    let plaintiffs: [PartyLine]
    let defendants: [PartyLine]
    let ended: String?
    let lawsuitPath: String?
    let submitHint: String?
    let acceptPath: String?
    let mediators: [Choice]
    let judges: [Choice]
    let declinePath: String?
    /// The filer's "decline" withdraws their request, and says so.
    let declineByFiler: Bool
    /// For the judge, once a party other than the filer declined: close the request still open.
    let closurePath: String?
    let notes: [NoteLine]
    let notePath: String?
    let audiences: [Choice]
    let zoneNote: String
    let agreement: AgreementPanel
    let session: SessionPanel
    let papers: PapersPanel
    let agent: AgentPanel

    static func make(_ req: Request, _ entry: MediationAccess.Entry, termsForm: AgreementTerms.Form? = nil,
                     errors: [String: String] = [:]) async throws -> MediationPage {
        let loaded = entry.loaded, viewer = entry.viewer, mediation = loaded.mediation
        let account = try req.requireAccount(), accountID = try account.requireID()
        let id = loaded.id.uuidString.lowercased()
        let isOfficial = viewer.isOfficial
        let viewerParty = loaded.party(spokenForBy: accountID)
        // A party reads times on the clock they gave for the mediation (an agent, on their own).
        let zone = isOfficial ? loaded.court.zone : (viewerParty?.$account.id == accountID ? viewerParty?.zone : nil) ?? account.zone
        let names = try await Account.query(on: req.db).filter(\.$id ~~ [mediation.$mediator.id, mediation.$judge.id].compactMap { $0 }).all()
        let name = { (id: UUID?) in names.first { $0.id == id }?.displayName }
        let line = { (party: MediationParty) -> PartyLine in
            var service: String?
            if isOfficial {
                if let served = party.servedAt {
                    service = req.t("mediation.service.served", ["when": req.showTime(served, in: zone)])
                } else if let sent = party.serviceSentAt {
                    service = req.t(party.remindedAt == nil ? "mediation.service.sent" : "mediation.service.reminded", ["when": req.showTime(sent, in: zone)])
                }
            }
            return PartyLine(side: req.t("mediation.side.\(party.side.rawValue)"), name: party.name,
                             kind: req.t("mediation.party_kind.\(party.kind.rawValue)"), country: party.country, zone: party.timeZone,
                             service: service, notServed: isOfficial && party.servedAt == nil && party.serviceSentAt != nil,
                             you: party.id != viewerParty?.id ? nil
                                : req.t(party.$account.id == accountID ? "mediation.show.you" : "mediation.show.represented"),
                             // Everyone sees who acts for a party through an agent (named on the mandate).
                             agent: loaded.agent(of: party) == nil ? nil : party.mandate.map { req.t("mediation.show.agent", ["name": $0.proxyName]) })
        }
        var ended: String?
        if mediation.ending == .declined {
            let decliner = loaded.parties.first { $0.id == mediation.endingPartyID }
            ended = req.t(decliner?.isFiler == true ? "mediation.ended.withdrawn" : "mediation.ended.declined",
                          ["party": decliner?.name ?? "", "reason": mediation.endingReason ?? "",
                                                       "when": mediation.endedAt.map { req.showTime($0, in: zone) } ?? ""])
        }
        let status = ended != nil ? req.t("mediation.status.ended")
            : mediation.acceptedAt != nil ? req.t("mediation.status.accepted")
            : loaded.record.submittedAt != nil ? req.t("mediation.status.filed") : req.t("mediation.status.draft")
        let canAccept = isOfficial && account.roles.contains(.clerk) && mediation.acceptedAt == nil && ended == nil
            && (loaded.record.status == .submitted || MediationService.acceptableStatuses.contains(loaded.record.status))
        var mediators: [Choice] = [], judges: [Choice] = []
        if canAccept {
            let staff = try await Account.query(on: req.db).filter(\.$department.$id == mediation.$court.id).filter(\.$suspendedAt == nil)
                .sort(\.$displayName).all()
            mediators = staff.filter { $0.roles.contains(.mediator) }.map { Choice(value: $0.id!.uuidString, label: $0.displayName, selected: false) }
            judges = staff.filter { $0.roles.contains(.judge) }.map { Choice(value: $0.id!.uuidString, label: $0.displayName, selected: false) }
        }
        let notes = try await MediationNote.query(on: req.db).filter(\.$mediation.$id == loaded.id).with(\.$author).sort(\.$createdAt).all()
            .filter { RecordAccess.mayRead(viewer, $0.audience) }
        let noteLines = try notes.map { note in
            NoteLine(audience: req.t("mediation.audience.\(note.audience.rawValue)"),
                     author: loaded.actorName(note.author, req),
                     when: req.showTime(note.createdAt, in: zone), body: try req.dependencies.secrets.openText(note.body))
        }
        // The filer's own account: the case is theirs (their agent here acts in the mediation only).
        let isFiler = viewerParty?.isFiler == true && viewerParty?.$account.id == accountID
        let viewerRole: String = switch viewer {
        case .party(let side): req.t("mediation.viewer.party", ["side": req.t("mediation.side.\(side.rawValue)")])
        case .mediator: req.t("mediation.viewer.mediator")
        case .judge: req.t("mediation.viewer.judge")
        case .court: req.t("mediation.viewer.court")
        }
        return MediationPage(
            number: loaded.record.number,
            casePath: isFiler ? SiteURL.caseDetail(id: loaded.record.id!.uuidString).path
                : isOfficial ? SiteURL.officeCase(id: loaded.record.id!.uuidString).path : nil,
            court: loaded.court.name(req.locale), kind: req.t("mediation.kind.\(mediation.disputeKind.rawValue)"),
            amount: MediationFiling.formatAmount(mediation.amountMinor, currency: mediation.currency), claim: mediation.claim,
            status: status, viewerRole: viewerRole, mediator: name(mediation.$mediator.id), judge: name(mediation.$judge.id),
            plaintiffs: loaded.parties.filter { $0.side == .plaintiff }.map(line),
            defendants: loaded.parties.filter { $0.side == .defendant }.map(line),
            ended: ended,
            lawsuitPath: ended != nil && viewerParty?.side == .plaintiff ? SiteURL.matter(code: MediationCourts.lawsuitMatter).path : nil,
            submitHint: isFiler && loaded.record.submittedAt == nil ? req.t("mediation.show.submit_hint") : nil,
            acceptPath: canAccept ? SiteURL.mediationAcceptance(id: id).path : nil, mediators: mediators, judges: judges,
            declinePath: ended == nil && viewerParty?.servedAt != nil
                && viewerParty.map { req.mediations.declineRefusal(loaded, party: $0, account: accountID) == nil } == true
                ? SiteURL.mediationDecline(id: id).path : nil,
            declineByFiler: isFiler,
            closurePath: viewer == .judge && mediation.ending == .declined && MediationService.closableStatuses.contains(loaded.record.status)
                ? SiteURL.mediationCaseClosure(id: id).path : nil,
            notes: noteLines,
            notePath: ended == nil ? SiteURL.mediationNotes(id: id).path : nil,
            audiences: RecordAccess.writableAudiences(viewer).map { Choice(value: $0.rawValue, label: req.t("mediation.audience.\($0.rawValue)"), selected: false) },
            zoneNote: req.t("case.times_in_zone", ["zone": zone.identifier]),
            agreement: try await AgreementPanel.make(req, entry, zone: zone, viewerParty: viewerParty, termsForm: termsForm, errors: errors),
            session: try await SessionPanel.make(req, entry, zone: zone),
            papers: try await PapersPanel.make(req, entry, zone: zone),
            agent: try await AgentPanel.make(req, entry))
    }
}

extension MediationRecord {
    /// How someone who acted in the mediation is named to everyone: a party by the name on the
    /// papers, an agent as acting for their party, an official as of the court.
    func actorName(_ account: Account, _ req: Request) -> String {
        if account.kind == .staff { return req.t("mediation.author.court", ["name": account.displayName]) }
        guard let id = account.id, let party = party(spokenForBy: id) else { return account.displayName }
        return party.$account.id == id ? party.name : req.t("mediation.agent.acting_for", ["agent": account.displayName, "party": party.name])
    }
}
