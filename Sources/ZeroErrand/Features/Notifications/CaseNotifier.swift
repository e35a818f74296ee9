import Fluent
import Foundation
import ZeroErrandCore

/// Tells the applicant what happened on their case: a line on the notifications page and an email
/// in their language, both written in the transaction of the change.
enum CaseNotifier {
    static func notifyApplicant(of record: Case, key: String, extra: String = "", on db: any Database, outbox: Outbox,
                                config: AppConfig, now: Date) async throws {
        let applicant = record.applicant
        let caseID = try record.requireID()
        let arguments = ["number": record.number, "note": extra]
        try await addLine(for: try applicant.requireID(), caseID: caseID, key: key, arguments: arguments, on: db, now: now)
        let mail = mailText(record, key: key, arguments: arguments, to: applicant, outbox: outbox)
        try await outbox.enqueue(to: applicant, subjectKey: "mail.case.subject", bodyKey: "mail.case.body",
                                 arguments: ["name": applicant.displayName, "number": record.number, "event": mail.event, "text": mail.text,
                                             "link": SiteURL.caseDetail(id: caseID.uuidString).absolute(config)], on: db)
    }

    /// Subject naming the event and the case ("Supplement requested: ZE-2026-000004"), and a body
    /// with the notification and the facts of that event, in the recipient's language and zone.
    private static func mailText(_ record: Case, key: String, arguments: [String: String], to recipient: Account,
                                 outbox: Outbox) -> (event: String, text: String) {
        let translator = outbox.app.dependencies.translator
        let locale = recipient.appLocale
        let event = String(key.split(separator: ".").last ?? "")
        let facts = CaseMailFacts(record: record, locale: locale, zone: TimeZone(identifier: recipient.timeZone) ?? .gmt,
                                  translator: translator).text(for: event)
        return (translator.text("mail.event.\(event)", locale), translator.text(key, locale, arguments) + (facts.isEmpty ? "" : "\n\n" + facts))
    }

    /// The relative working the case under a mandate hears what the applicant hears, while the
    /// mandate is in force (a revoked one learns nothing more about the case).
    static func notifyProxy(of record: Case, key: String, extra: String = "", on db: any Database, outbox: Outbox,
                            config: AppConfig, now: Date) async throws {
        guard let mandateID = record.$mandate.id, let mandate = try await Mandate.find(mandateID, on: db),
              MandateRules.validity(mandate.facts, today: CivilDay(now, in: Mandate.zone)) == nil,
              let holderID = mandate.$proxyAccount.id, let holder = try await Account.find(holderID, on: db) else { return }
        let caseID = try record.requireID()
        let arguments = ["number": record.number, "note": extra]
        try await addLine(for: holderID, caseID: caseID, key: key, arguments: arguments, on: db, now: now)
        let mail = mailText(record, key: key, arguments: arguments, to: holder, outbox: outbox)
        try await outbox.enqueue(to: holder, subjectKey: "mail.proxy_case.subject", bodyKey: "mail.proxy_case.body",
                                 arguments: ["name": holder.displayName, "principal": record.applicant.displayName, "number": record.number,
                                             "event": mail.event, "text": mail.text,
                                             "link": SiteURL.caseDetail(id: caseID.uuidString).absolute(config)], on: db)
    }

    /// A line on the account's notifications page.
    private static func addLine(for accountID: UUID, caseID: UUID, key: String, arguments: [String: String],
                                on db: any Database, now: Date) async throws {
        let notification = AccountNotification()
        notification.$account.id = accountID
        notification.$caseRecord.id = caseID
        notification.key = key
        notification.arguments = arguments
        notification.createdAt = now
        try await notification.create(on: db)
    }
}
