import Fluent
import Foundation
import ZeroErrandCore

/// Hours one staff member offers for video appointments, in the office's own time zone.
final class VideoAvailability: Model, @unchecked Sendable {
    static let schema = "video_availability"

    @ID(key: .id) var id: UUID?
    @Parent(key: "department_id") var department: Department
    @Parent(key: "staff_id") var staff: Account
    @Field(key: "weekdays") var weekdays: [Int]
    @Field(key: "start_minute") var startMinute: Int
    @Field(key: "end_minute") var endMinute: Int
    @Field(key: "slot_minutes") var slotMinutes: Int
    @Field(key: "first_day") var firstDay: String
    @Field(key: "last_day") var lastDay: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(departmentID: UUID, staffID: UUID, rule: AvailabilityRule, now: Date) {
        $department.id = departmentID
        $staff.id = staffID
        weekdays = rule.weekdays.sorted()
        startMinute = rule.startMinute
        endMinute = rule.endMinute
        slotMinutes = rule.slotMinutes
        firstDay = rule.firstDay.description
        lastDay = rule.lastDay.description
        createdAt = now
    }

    var rule: AvailabilityRule? {
        guard let first = CivilDay(firstDay), let last = CivilDay(lastDay) else { return nil }
        return AvailabilityRule(weekdays: Set(weekdays), startMinute: startMinute, endMinute: endMinute,
                                slotMinutes: slotMinutes, firstDay: first, lastDay: last)
    }
}
