import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand

/// The mail a person would receive. With the SMTP sink of scripts/test running, the outbox really
/// sends it over SMTP and this reads what the sink received; without it, the queued message.
enum Inbox {
    struct Mail {
        let subject: String
        let text: String
        /// An attached iCalendar invitation, line ends as "\n".
        var calendar: String? = nil
    }

    /// The newest mail to `address` whose subject contains `subject`: mails written in one step of
    /// the test clock (a submission's receipt, then a booking) carry the same time.
    static func latest(_ app: Application, to address: String, subject: String) async throws -> Mail {
        guard let mail = try await all(app, to: address).last(where: { $0.subject.contains(subject) }) else {
            throw Abort(.notFound, reason: "no mail to \(address) about \(subject)")
        }
        return mail
    }

    static func latest(_ app: Application, to address: String) async throws -> Mail {
        if TestEnvironment.hasMailSink {
            try await app.outbox.deliverDue()
            let mail = try await MailSink.latestMessage(to: address)
            return Mail(subject: mail.subject, text: mail.text, calendar: mail.calendar)
        }
        guard let queued = try await OutboxMail.query(on: app.db).filter(\.$toAddress == address)
            .sort(\.$createdAt, .descending).first() else { throw Abort(.notFound, reason: "no mail to \(address)") }
        return Mail(subject: queued.subject, text: try app.dependencies.secrets.openText(queued.textBody), calendar: queued.calendar?.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    /// Every mail to `address`, oldest first.
    static func all(_ app: Application, to address: String) async throws -> [Mail] {
        if TestEnvironment.hasMailSink {
            try await app.outbox.deliverDue()
            return try MailSink.messages(to: address).map { Mail(subject: $0.subject, text: $0.text, calendar: $0.calendar) }
        }
        return try await OutboxMail.query(on: app.db).filter(\.$toAddress == address).sort(\.$createdAt).all().map {
            Mail(subject: $0.subject, text: try app.dependencies.secrets.openText($0.textBody), calendar: $0.calendar?.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    /// The token from a link like `https://…/email/confirm#token=…`.
    static func token(in mail: Mail) -> String? {
        guard let range = mail.text.range(of: "#token=") else { return nil }
        return String(mail.text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    static func uniqueAddress(_ name: String = "person") -> String {
        "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.org"
    }
}
