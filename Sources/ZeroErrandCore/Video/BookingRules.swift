import Foundation

/// An office's notice rules for video appointments: how early a slot must be booked, and until
/// when a booking may still be moved or cancelled by the citizen.
public struct BookingRules: Sendable, Equatable {
    public var bookingNotice: TimeInterval
    public var changeNotice: TimeInterval

    public init(bookingNoticeHours: Int, changeNoticeHours: Int) {
        bookingNotice = TimeInterval(bookingNoticeHours) * 3600
        changeNotice = TimeInterval(changeNoticeHours) * 3600
    }

    public enum Refusal: String, Error, Sendable, Equatable {
        /// The slot starts too soon (or has passed).
        case tooLate = "too_late"
        /// The appointment is too close to be moved or cancelled by the citizen.
        case tooLateToChange = "too_late_to_change"
    }

    public func mayBook(slotStart: Date, now: Date) -> Refusal? {
        slotStart.timeIntervalSince(now) >= bookingNotice ? nil : .tooLate
    }

    public func mayChange(appointmentStart: Date, now: Date) -> Refusal? {
        appointmentStart.timeIntervalSince(now) >= changeNotice ? nil : .tooLateToChange
    }
}
