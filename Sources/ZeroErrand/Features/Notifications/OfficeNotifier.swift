import Fluent
import Foundation
import ZeroErrandCore

/// Tells an office about a change it did not make (a mandate revoked): whoever works the case, or,
/// when nobody has claimed it, the office's supervisors. A notification and a mail each.
enum OfficeNotifier {
    static func notifyOffice(of record: Case, key: String, on db: any Database, outbox: Outbox, config: AppConfig, now: Date) async throws {
        let caseID = try record.requireID()
        var recipients: [Account] = []
        if let assigneeID = record.$assignee.id, let assignee = try await Account.find(assigneeID, on: db), assignee.suspendedAt == nil {
            recipients = [assignee]
        } else {
            recipients = try await Account.query(on: db).filter(\.$department.$id == record.$department.id)
                .filter(\.$suspendedAt == nil).all().filter { $0.roles.contains(.supervisor) }
        }
        let translator = outbox.app.dependencies.translator
        for staff in recipients {
            let notification = AccountNotification()
            notification.$account.id = try staff.requireID()
            notification.$caseRecord.id = caseID
            notification.key = key
            notification.arguments = ["number": record.number]
            notification.createdAt = now
            try await notification.create(on: db)
            try await outbox.enqueue(to: staff, subjectKey: "mail.office.subject", bodyKey: "mail.office.body",
                                     arguments: ["name": staff.displayName, "number": record.number,
                                                 "event": translator.text("mail.event.\(key.split(separator: ".").last ?? "")", staff.appLocale),
                                                 "text": translator.text(key, staff.appLocale, ["number": record.number]),
                                                 "link": SiteURL.officeCase(id: caseID.uuidString).absolute(config)], on: db)
        }
    }
}
