import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// What a citizen writes into a new power of attorney (web form).
struct MandateForm: Content {
    var principalIDNumber: String?
    var proxyName: String?
    var proxyIDNumber: String?
    var relationship: String?
    var proxyEmail: String?
    var proxyPhone: String?
    /// "matters" or "case".
    var scope: String?
    var matters: [String]?
    var caseID: String?
    var validFrom: String?
    var validUntil: String?
    var mayCollect: Bool?
    var maySign: Bool?
    var mayPay: Bool?
}

/// Field errors of a form, already in the viewer's language; nothing was saved.
struct FormErrors: Error {
    var fields: [String: String]
}

/// Everything that changes a mandate: write, sign, invite, accept, decline, revoke. Each change is
/// one audited transaction with its mail and notifications.
struct MandateService {
    let request: Request

    private var now: Date { request.now }
    private var today: CivilDay { CivilDay(now, in: Mandate.zone) }

    // MARK: Writing

    func create(from form: MandateForm, by principal: Account) async throws -> Mandate {
        var errors: [String: String] = [:]
        let t = { (key: String, arguments: [String: String]) in request.t(key, arguments) }
        func identity(_ raw: String?, field: String) -> ResidentIDNumber? {
            do { return try ResidentIDNumber(raw ?? "", notAfter: now) } catch {
                errors[field] = t(error.code, error.arguments)
                return nil
            }
        }
        let principalID = identity(form.principalIDNumber, field: "principalIDNumber")
        let proxyID = identity(form.proxyIDNumber, field: "proxyIDNumber")
        if let principalID, let proxyID, principalID.value == proxyID.value { errors["proxyIDNumber"] = t("mandate.error.same_person", [:]) }
        let proxyName = (form.proxyName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !AccountService.isAcceptableName(proxyName) { errors["proxyName"] = t("mandate.error.name", [:]) }
        let relationship = form.relationship.flatMap(Relationship.init(rawValue:))
        if relationship == nil { errors["relationship"] = t("field.invalid_choice", [:]) }
        let email = EmailAddress.normalize(form.proxyEmail ?? "")
        if email == nil { errors["proxyEmail"] = t("mandate.error.email", [:]) }
        if let email, email == EmailAddress.normalize(principal.email) { errors["proxyEmail"] = t("mandate.error.own_email", [:]) }
        let phone = (form.proxyPhone ?? "").trimmingCharacters(in: .whitespaces)
        if phone.count > 40 || phone.contains(where: { !"0123456789+-() ".contains($0) }) { errors["proxyPhone"] = t("mandate.error.phone", [:]) }

        // The scope: matters the catalogue lets a relative do, or one open case of the principal's.
        var scope: MandateScope = .matters([])
        var scopeLines: [String] = []
        var scopeCase: Case?
        if form.scope == "case" {
            if let id = form.caseID.flatMap(UUID.init(uuidString:)),
               let record = try await Case.query(on: request.db).filter(\.$id == id).filter(\.$applicant.$id == principal.requireID())
                .withCatalogueMatter(request.catalogue).first(), record.matter.channels.contains(.proxy), !record.status.isTerminal {
                scope = .oneCase(id)
                scopeCase = record
                scopeLines = ["\(record.number): \(record.matter.code) \(record.matter.nameZh) / \(record.matter.nameEn)"]
            } else {
                errors["caseID"] = t("mandate.error.case", [:])
            }
        } else {
            let codes = Set(form.matters ?? [])
            let matters = codes.isEmpty ? [] : try await Matter.query(on: request.db).filter(\.$code ~~ Array(codes)).sort(\.$code).all()
            if codes.isEmpty || codes.count > 20 || matters.count != codes.count || matters.contains(where: { !$0.channels.contains(.proxy) }) {
                errors["matters"] = t("mandate.error.matters", [:])
            } else {
                scope = .matters(codes)
                scopeLines = matters.map { "\($0.code) \($0.nameZh) / \($0.nameEn)" }
            }
        }
        let validFrom = form.validFrom.flatMap(CivilDay.init)
        let validUntil = form.validUntil.flatMap(CivilDay.init)
        if validFrom == nil { errors["validFrom"] = t("case.error.date_invalid", [:]) }
        if validUntil == nil { errors["validUntil"] = t("case.error.date_invalid", [:]) }
        if let validFrom, let validUntil, let problem = MandateRules.dateProblem(validFrom: validFrom, validUntil: validUntil, today: today) {
            errors[problem == .startsInPast ? "validFrom" : "validUntil"] = t("mandate.error.\(problem.rawValue)",
                                                                              ["count": String(MandateRules.longestValidity)])
        }
        guard errors.isEmpty, let principalID, let proxyID, let relationship, let email, let validFrom, let validUntil else {
            throw FormErrors(fields: errors)
        }

        let secrets = request.dependencies.secrets
        let mandate = Mandate()
        mandate.id = UUID()
        mandate.$principal.id = try principal.requireID()
        mandate.principalIDNumberSealed = try secrets.sealText(principalID.value)
        mandate.principalIDMasked = principalID.masked
        mandate.proxyName = proxyName
        mandate.proxyIDNumberSealed = try secrets.sealText(proxyID.value)
        mandate.proxyIDMasked = proxyID.masked
        mandate.relationship = relationship
        mandate.proxyEmail = email
        mandate.proxyPhone = phone
        if case .matters(let codes) = scope { mandate.scopeMatters = codes.sorted() } else { mandate.scopeMatters = [] }
        mandate.$scopeCase.id = scopeCase?.id
        mandate.validFrom = validFrom.description
        mandate.validUntil = validUntil.description
        mandate.mayCollect = form.mayCollect ?? false
        mandate.maySign = form.maySign ?? false
        mandate.mayPay = form.mayPay ?? false
        mandate.status = .draft
        let terms = MandateTerms(mandateID: mandate.id!, principal: .init(name: principal.displayName, idNumber: principalID.value),
                                 proxy: .init(name: proxyName, idNumber: proxyID.value), relationship: relationship,
                                 proxyContact: [email, phone].filter { !$0.isEmpty }.joined(separator: ", "),
                                 scopeLines: scopeLines, validFrom: validFrom.description, validUntil: validUntil.description,
                                 limits: mandate.limits).text
        mandate.termsSealed = try secrets.sealText(terms)
        mandate.termsSHA256 = SignableDocument(objectType: "mandate", objectID: "", bytes: Array(terms.utf8)).sha256
        mandate.createdAt = now
        mandate.updatedAt = now
        try await request.audited { db, audit in
            try await mandate.create(on: db)
            try await audit.record("mandate.created", "mandate", mandate.id!.uuidString.lowercased(), ["terms_sha256": mandate.termsSHA256])
        }
        return mandate
    }

    /// The exact text the principal signs.
    func terms(of mandate: Mandate) throws -> String {
        try request.dependencies.secrets.openText(mandate.termsSealed)
    }

    func document(of mandate: Mandate) throws -> SignableDocument {
        SignableDocument(objectType: "mandate", objectID: try mandate.requireID().uuidString.lowercased(), bytes: Array(try terms(of: mandate).utf8))
    }

    // MARK: Signing and the invitation

    /// Signs the draft with a fresh second factor and invites the relative by mail.
    func sign(_ mandate: Mandate, shownSHA256: String?, code: String?) async throws {
        guard mandate.status == .draft else { throw AppError(status: .conflict, key: "mandate.error.not_draft") }
        let document = try document(of: mandate)
        let mandateID = try mandate.requireID()
        let now = now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let principalName = request.currentAccount?.displayName ?? ""
        try await request.signing.sign(document, shownSHA256: shownSHA256, code: code) { db, audit, signature in
            // Fresh read inside the transaction: two tabs cannot both sign, and a revoked draft stays revoked.
            guard let fresh = try await Mandate.find(mandateID, on: db), fresh.status == .draft else {
                throw AppError(status: .conflict, key: "mandate.error.not_draft")
            }
            fresh.status = .invited
            fresh.$signature.id = try signature.requireID()
            fresh.signedAt = now
            fresh.updatedAt = now
            try await fresh.update(on: db)
            try await audit.record("mandate.signed", "mandate", mandateID.uuidString.lowercased(),
                                   ["terms_sha256": document.sha256, "signer": fresh.$principal.id.uuidString.lowercased()])
            let arguments = ["principal": principalName, "name": fresh.proxyName,
                             "link": SiteURL.mandate(id: mandateID.uuidString.lowercased()).absolute(config)]
            if let existing = try await Account.query(on: db).filter(\.$email == fresh.proxyEmail).first() {
                try await outbox.enqueue(to: existing, subjectKey: "mail.mandate.invited.subject", bodyKey: "mail.mandate.invited.body",
                                         arguments: arguments, on: db)
            } else {
                try await outbox.enqueueBilingual(to: fresh.proxyEmail, subjectKey: "mail.mandate.invited.subject",
                                                  bodyKey: "mail.mandate.invited.body", arguments: arguments, on: db)
            }
        }
    }

    // MARK: The relative's answer

    /// The invited relative accepts from an account whose confirmed address is the invited one,
    /// typing their own ID number, which must be the one the principal wrote.
    func accept(_ mandate: Mandate, idNumber: String?) async throws {
        let account = try request.requireAccount()
        guard mandate.status == .invited else { throw AppError(status: .conflict, key: "mandate.error.not_invited") }
        let mandateID = try mandate.requireID()
        // Counted before the number is compared, per mandate (whoever types), audited when wrong.
        let key = ThrottleKey("mandate-acceptance", mandateID.uuidString, secrets: request.dependencies.secrets)
        if let until = try await request.throttles.attempt(key, .mandateAcceptance) {
            throw request.accounts.blockedError(until: until)
        }
        let typed = try? ResidentIDNumber(idNumber ?? "", notAfter: now)
        let expected = try request.dependencies.secrets.openText(mandate.proxyIDNumberSealed)
        guard let typed, typed.value == expected else {
            try await request.audited { _, audit in
                try await audit.record("mandate.acceptance_refused", "mandate", mandateID.uuidString.lowercased(), ["reason": "id_mismatch"])
            }
            throw AppError(status: .unprocessableEntity, key: "mandate.error.id_mismatch")
        }
        let accountID = try account.requireID()
        let code = PassCode.generate(request.dependencies.random)
        try await answer(mandateID, action: "mandate.accepted", mail: ("mail.mandate.accepted.subject", "mail.mandate.accepted.body")) { fresh in
            fresh.status = .accepted
            fresh.$proxyAccount.id = accountID
            fresh.passCode = code
        }
        try await request.throttles.clear(key)
    }

    func decline(_ mandate: Mandate) async throws {
        guard mandate.status == .invited else { throw AppError(status: .conflict, key: "mandate.error.not_invited") }
        try await answer(try mandate.requireID(), action: "mandate.declined", mail: ("mail.mandate.declined.subject", "mail.mandate.declined.body")) {
            $0.status = .declined
        }
    }

    private func answer(_ mandateID: UUID, action: String, mail: (subject: String, body: String), _ change: @escaping @Sendable (Mandate) -> Void) async throws {
        let now = now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        try await request.audited { db, audit in
            guard let fresh = try await Mandate.query(on: db).filter(\.$id == mandateID).with(\.$principal).first(),
                  fresh.status == .invited else { throw AppError(status: .conflict, key: "mandate.error.not_invited") }
            change(fresh)
            fresh.answeredAt = now
            fresh.updatedAt = now
            try await fresh.update(on: db)
            try await audit.record(action, "mandate", mandateID.uuidString.lowercased())
            try await outbox.enqueue(to: fresh.principal, subjectKey: mail.subject, bodyKey: mail.body,
                                     arguments: ["name": fresh.proxyName, "link": SiteURL.mandate(id: mandateID.uuidString.lowercased()).absolute(config)],
                                     on: db)
        }
    }

    // MARK: Revoking

    /// Ends the mandate at once: the next request of the relative is refused everywhere (every
    /// check reads the status). The relative is told by mail, and each office with a case under it
    /// finds a line on that case's timeline and a notification to whoever works it.
    func revoke(_ mandate: Mandate) async throws {
        guard [.draft, .invited, .accepted].contains(mandate.status) else { throw AppError(status: .conflict, key: "mandate.error.already_ended") }
        let mandateID = try mandate.requireID()
        let now = now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let actorID = request.currentAccount?.id
        try await request.audited { db, audit in
            guard let fresh = try await Mandate.query(on: db).filter(\.$id == mandateID).with(\.$principal).with(\.$proxyAccount).first(),
                  [.draft, .invited, .accepted].contains(fresh.status) else { throw AppError(status: .conflict, key: "mandate.error.already_ended") }
            let wasSent = fresh.status != .draft
            fresh.status = .revoked
            fresh.revokedAt = now
            fresh.updatedAt = now
            try await fresh.update(on: db)
            try await audit.record("mandate.revoked", "mandate", mandateID.uuidString.lowercased())
            guard wasSent else { return }
            let arguments = ["principal": fresh.principal.displayName, "name": fresh.proxyName,
                             "link": SiteURL.mandate(id: mandateID.uuidString.lowercased()).absolute(config)]
            if let proxy = fresh.proxyAccount {
                try await outbox.enqueue(to: proxy, subjectKey: "mail.mandate.revoked.subject", bodyKey: "mail.mandate.revoked.body",
                                         arguments: arguments, on: db)
            } else {
                try await outbox.enqueueBilingual(to: fresh.proxyEmail, subjectKey: "mail.mandate.revoked.subject",
                                                  bodyKey: "mail.mandate.revoked.body", arguments: arguments, on: db)
            }
            let cases = try await Case.query(on: db).filter(\.$mandate.$id == mandateID).all()
            for record in cases where record.submittedAt != nil && !record.status.isTerminal {
                let caseID = try record.requireID()
                try await CaseEvent(caseID: caseID, at: now, actorID: actorID, kind: .action, name: "mandate_revoked", statusAfter: nil)
                    .create(on: db)
                try await OfficeNotifier.notifyOffice(of: record, key: "notification.office.mandate_revoked", on: db, outbox: outbox,
                                                      config: config, now: now)
            }
        }
    }
}

extension Request {
    var mandates: MandateService { MandateService(request: self) }
}

/// The code on a relative's pass: 12 characters without look-alikes (no I, L, O, U), grouped by
/// four for reading aloud at a counter. 60 bits: not guessable, and only staff can look one up.
enum PassCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func generate(_ random: RandomSource) -> String {
        let characters = random.bytes(12).map { alphabet[Int($0) % alphabet.count] }
        return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    /// What staff typed or scanned (the code, or the pass's whole URL) as a stored code, or nil.
    static func normalize(_ raw: String) -> String? {
        let tail = raw.split(separator: "/").last.map(String.init) ?? raw
        let characters = tail.uppercased().filter { $0 != "-" && !$0.isWhitespace }
            .map { $0 == "O" ? "0" : ($0 == "I" || $0 == "L" ? "1" : $0) }
        guard characters.count == 12, characters.allSatisfy(alphabet.contains) else { return nil }
        let text = String(characters)
        return stride(from: 0, to: 12, by: 4).map { String(Array(text)[$0..<($0 + 4)]) }.joined(separator: "-")
    }
}
