import Fluent
import Foundation

/// A message waiting to be sent. Mail is written here in the same transaction as the change
/// that caused it, and a worker sends it, so a mail server that is down delays mail and loses none.
final class OutboxMail: Model, @unchecked Sendable {
    static let schema = "outbox_mails"

    @ID(key: .id) var id: UUID?
    @Field(key: "to_address") var toAddress: String
    @Field(key: "to_name") var toName: String
    @Field(key: "subject") var subject: String
    /// Sealed with the app key (`Secrets.sealText`): bodies hold single-use links (reset,
    /// confirmation, invitation) that must not be readable in a copy of the database. Cleared once sent.
    @Field(key: "text_body") var textBody: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    /// Which app instance is sending it, until when: several instances share one outbox.
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    /// An iCalendar object (RFC 5545) sent along as an invitation, e.g. for a video appointment.
    @OptionalField(key: "calendar") var calendar: String?
    /// Set when delivery kept failing for `Outbox.giveUpAfter`: no more tries; administrators see it.
    @OptionalField(key: "dead_at") var deadAt: Date?

    init() {}

    init(to: MailAddress, subject: String, textBody: String, now: Date) {
        self.toAddress = to.address
        self.toName = to.name ?? ""
        self.subject = subject
        self.textBody = textBody
        self.createdAt = now
        self.attempts = 0
        self.nextAttemptAt = now
    }
}
