import Fluent
import Foundation
import NIOCore
import Vapor
import ZeroErrandCore

/// Queues mail with the change that causes it and delivers it with retries.
struct Outbox: Sendable {
    let app: Application

    /// Writes the message into the caller's transaction; it is sent after the commit.
    func enqueue(to account: Account, subjectKey: String, bodyKey: String, arguments: [String: String],
                 calendar: ICalendarEvent? = nil, on database: any Database) async throws {
        let translator = app.dependencies.translator
        let locale = account.appLocale
        let body = translator.text(bodyKey, locale, arguments) + "\n\n" + translator.text("mail.signature", locale)
        // Until the address is confirmed, the name is whatever a stranger may have typed: not in the header.
        let mail = OutboxMail(to: MailAddress(address: account.email, name: account.emailConfirmedAt == nil ? nil : account.displayName),
                              subject: translator.text(subjectKey, locale, arguments),
                              textBody: try app.dependencies.secrets.sealText(body), now: app.dependencies.clock.now())
        mail.calendar = calendar?.render()
        try await mail.create(on: database)
    }

    /// A message to an address without an account (the auditor), in English, sent after the commit.
    /// Mail to an address that may have no account yet (an invited relative), in both languages.
    func enqueueBilingual(to address: String, subjectKey: String, bodyKey: String, arguments: [String: String],
                          on database: any Database) async throws {
        let translator = app.dependencies.translator
        let text = { (locale: AppLocale) in
            translator.text(bodyKey, locale, arguments) + "\n\n" + translator.text("mail.signature", locale)
        }
        let mail = OutboxMail(to: MailAddress(address: address, name: nil),
                              subject: translator.text(subjectKey, .zhHans, arguments) + " / " + translator.text(subjectKey, .en, arguments),
                              textBody: try app.dependencies.secrets.sealText(text(.zhHans) + "\n\n----\n\n" + text(.en)),
                              now: app.dependencies.clock.now())
        try await mail.create(on: database)
    }

    func enqueueRaw(to address: MailAddress, subject: String, text: String) async throws {
        try await OutboxMail(to: address, subject: subject, textBody: try app.dependencies.secrets.sealText(text),
                             now: app.dependencies.clock.now()).create(on: app.db)
    }

    /// A message still failing this long after it was written is given up on (marked dead).
    static let giveUpAfter: TimeInterval = 48 * 3600

    /// Sends every message that is due. Failures wait longer each time, up to an hour; after
    /// `giveUpAfter` a message is marked dead and shown to administrators instead.
    @discardableResult
    func deliverDue(limit: Int = 50) async throws -> Int {
        let now = app.dependencies.clock.now()
        let due = try await OutboxMail.query(on: app.db).filter(\.$sentAt == nil).filter(\.$deadAt == nil).filter(\.$nextAttemptAt <= now)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .sort(\.$createdAt).limit(limit).all()
        var sent = 0
        for mail in due {
            guard try await claim(mail, now: now) else { continue }
            do {
                try await deliver(mail)
                mail.sentAt = app.dependencies.clock.now()
                mail.textBody = ""
                mail.calendar = nil
                mail.lastError = nil
                sent += 1
            } catch {
                mail.attempts += 1
                mail.lastError = String(describing: error).prefix(500).description
                mail.nextAttemptAt = now.addingTimeInterval(min(30 * pow(2, Double(mail.attempts - 1)), 3600))
                mail.claimedUntil = nil
                let givenUp = now.timeIntervalSince(mail.createdAt) >= Self.giveUpAfter
                app.metrics.mailDeliveryFailure(givenUp: givenUp)
                if givenUp {
                    mail.deadAt = now
                    mail.textBody = ""
                    app.logger.error("mail delivery given up", metadata: ["mail": .string(mail.id?.uuidString ?? ""), "attempts": .stringConvertible(mail.attempts)])
                } else {
                    app.logger.warning("mail delivery failed, will retry", metadata: ["mail": .string(mail.id?.uuidString ?? ""), "attempt": .stringConvertible(mail.attempts)])
                }
            }
            try await mail.update(on: app.db)
        }
        return sent
    }

    /// Takes a message for this instance for five minutes; false when another instance was first.
    /// A crashed sender's claim runs out, and the message is sent by whoever comes next.
    private func claim(_ mail: OutboxMail, now: Date) async throws -> Bool {
        let id = try mail.requireID()
        let claimant = app.instanceID
        try await OutboxMail.query(on: app.db).filter(\.$id == id).filter(\.$sentAt == nil)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .set(\.$claimedBy, to: claimant).set(\.$claimedUntil, to: now.addingTimeInterval(300)).update()
        guard let fresh = try await OutboxMail.find(id, on: app.db), fresh.claimedBy == claimant, fresh.sentAt == nil else { return false }
        mail.claimedBy = claimant
        mail.claimedUntil = fresh.claimedUntil
        return true
    }

    private func deliver(_ mail: OutboxMail) async throws {
        let config = app.dependencies.config
        let message = MailMessage(from: config.mailFrom,
                                  to: [MailAddress(address: mail.toAddress, name: mail.toName.isEmpty ? nil : mail.toName)],
                                  subject: mail.subject, textBody: try app.dependencies.secrets.openText(mail.textBody), htmlBody: nil,
                                  messageID: "<\(mail.id?.uuidString.lowercased() ?? UUID().uuidString)@zeroerrand>",
                                  calendar: mail.calendar)
        if let smtp = config.smtp {
            try await SMTPClient(configuration: smtp, eventLoopGroup: app.eventLoopGroup).send(message)
        } else {
            // Development without SMTP: each message becomes a file a developer can open.
            let directory = config.dataDirectory + "/outbox"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/\(mail.id?.uuidString ?? UUID().uuidString).eml"
            try Data(message.render(date: app.dependencies.clock.now())).write(to: URL(fileURLWithPath: path))
        }
    }
}

extension Application {
    var outbox: Outbox { Outbox(app: self) }

    private struct InstanceIDKey: StorageKey { typealias Value = String }

    /// Tells this process apart from other instances sharing the database.
    var instanceID: String {
        if let id = storage[InstanceIDKey.self] { return id }
        let id = UUID().uuidString
        storage[InstanceIDKey.self] = id
        return id
    }
}

/// Sends queued mail every few seconds, and deadline and video reminders every few minutes, while the server
/// runs (not in tests, which call both explicitly).
final class OutboxWorker: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ application: Application) async throws {
        task = Task {
            var round = 0
            while !Task.isCancelled {
                // Reminders are cheap to look for but need not be looked for every few seconds.
                if round % 100 == 0 {
                    do { try await DeadlineReminders.run(application) } catch {
                        application.logger.warning("deadline reminders failed: \(error)")
                    }
                    do { try await MediationService.remindUnserved(application) } catch {
                        application.logger.warning("mediation service reminders failed: \(error)")
                    }
                    do {
                        try await UnconfirmedAccounts.remove(application)
                        try await Throttles.prune(application.db, now: application.dependencies.clock.now())
                    } catch {
                        application.logger.warning("account clean-up failed: \(error)")
                    }
                }
                // Video reminders go an hour before a call, so they are looked for every minute.
                if round % 20 == 0 {
                    do { try await VideoReminders.run(application) } catch {
                        application.logger.warning("video reminders failed: \(error)")
                    }
                    do { try await VideoRelay.sweep(application) } catch {
                        application.logger.warning("video signal sweep failed: \(error)")
                    }
                }
                do { try await application.outbox.deliverDue() } catch {
                    application.logger.warning("outbox run failed: \(error)")
                }
                round += 1
                try? await Task.sleep(for: .seconds(3))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }
}
