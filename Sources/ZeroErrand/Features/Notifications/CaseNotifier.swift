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
        let notification = AccountNotification()
        notification.$account.id = try applicant.requireID()
        notification.$caseRecord.id = caseID
        notification.key = key
        notification.arguments = arguments
        notification.createdAt = now
        try await notification.create(on: db)
        let translator = outbox.app.dependencies.translator
        let text = translator.text(key, applicant.appLocale, arguments)
        try await outbox.enqueue(to: applicant, subjectKey: "mail.case.subject", bodyKey: "mail.case.body",
                                 arguments: ["name": applicant.displayName, "number": record.number, "text": text,
                                             "link": SiteURL.caseDetail(id: caseID.uuidString).absolute(config)], on: db)
    }
}
