import Foundation
import Vapor
import ZeroErrandCore

/// The free times as the citizen looks for one: a week of their own calendar as day buttons,
/// one day's times listed (theirs first, the office's beside), night hours (outside 07:00–22:00
/// their time) hidden until asked for, and a plain word when a week has no daytime time.
struct VideoSlotPicker: Encodable {
    struct DayTab: Encodable {
        let value: String
        let weekday: String
        let date: String
        let summary: String
        let current: Bool
        /// Before today or beyond the booking window: nothing to choose there.
        let closed: Bool
    }
    struct Slot: Encodable {
        let value: String
        let id: String
        let label: String
        let officeLabel: String
        let night: Bool
    }
    /// A button of the day form that goes to another day.
    struct Jump: Encodable {
        let day: String
        let label: String
    }

    let weekLabel: String
    let days: [DayTab]
    let chosen: String
    let firstDay: String
    let lastDay: String
    let dayHeading: String
    let slots: [Slot]
    let showNight: Bool
    let nightHint: String
    /// "3 night-hour times on this day are hidden", shown while they are.
    let hiddenNote: String?
    let emptyDay: String?
    /// Said when the week has no daytime time, with what to do about it.
    let noDaytime: String?
    let whatToDo: String?
    let offerNight: Bool
    let previousWeek: Jump?
    let nextWeek: Jump?
    /// The week pager's own "next week", left out where the advice above already offers it.
    let pagerNextWeek: Jump?
    let nextDaytime: Jump?
    let nightShownText: String
    let nightHiddenText: String

    struct Query: Content {
        var day: String?
        var date: String?
        var night: String?
    }

    static func make(slots: [VideoSlot], office: TimeZone, now: Date, req: Request) throws -> VideoSlotPicker? {
        guard !slots.isEmpty else { return nil }
        let query = (try? req.query.decode(Query.self)) ?? Query()
        let zone = req.viewerTimeZone
        let showNight = query.night == "1"
        let today = CivilDay(now, in: zone)
        let lastDay = VideoBooking.window.lastDay(now: now, in: zone)
        let week = SlotWeek(slots: slots.map { DateInterval(start: $0.start, end: $0.end) }, zone: zone, today: today, lastDay: lastDay,
                            wanted: (query.day ?? query.date).flatMap(CivilDay.init), includeNight: showNight)
        func named(_ day: CivilDay) -> [String: String] { ["weekday": req.t("weekday.\(day.weekday)"), "date": day.description] }
        let chosen = week.chosenDay
        let listed = (chosen.daytime + chosen.night).sorted { $0.start < $1.start }
        let nightStarts = Set(chosen.night.map(\.start))
        let tabs = week.days.map { day -> DayTab in
            var parts: [String] = []
            if !day.daytime.isEmpty { parts.append(req.t("video.booking.tab_daytime", ["count": String(day.daytime.count)])) }
            if !day.night.isEmpty { parts.append(req.t("video.booking.tab_night", ["count": String(day.night.count)])) }
            return DayTab(value: day.day.description, weekday: req.t("weekday.\(day.day.weekday)"), date: String(day.day.description.suffix(5)),
                          summary: parts.isEmpty ? req.t("video.booking.tab_none") : parts.joined(separator: " · "),
                          current: day.day == week.chosen, closed: day.day < today || day.day > lastDay)
        }
        let sunday = SlotWeek.monday(of: week.chosen).adding(days: 6)
        let nextWeek = week.nextWeek.map { Jump(day: $0.description, label: req.t("video.booking.next_week")) }
        return VideoSlotPicker(
            weekLabel: req.t("video.booking.week", ["from": SlotWeek.monday(of: week.chosen).description, "to": sunday.description]),
            days: tabs, chosen: week.chosen.description, firstDay: today.description, lastDay: lastDay.description,
            dayHeading: req.t("video.booking.day_heading", named(week.chosen)),
            slots: listed.map { slot in
                let seconds = String(Int(slot.start.timeIntervalSince1970))
                return Slot(value: seconds, id: "slot-\(seconds)", label: req.showTime(slot.start, in: zone),
                            officeLabel: req.showTime(slot.start, in: office), night: nightStarts.contains(slot.start))
            },
            showNight: showNight,
            nightHint: req.t("video.booking.night_hint", ["zone": zone.identifier]),
            hiddenNote: chosen.night.isEmpty ? nil : req.t("video.booking.night_hidden_note", ["count": String(chosen.night.count)]),
            emptyDay: chosen.isEmpty ? req.t("video.booking.empty_day") : nil,
            noDaytime: week.hasDaytime ? nil : week.hasAny ? req.t("video.booking.no_daytime_week") : req.t("video.booking.no_time_week"),
            whatToDo: week.hasDaytime ? nil : advice(week, showNight: showNight, req: req),
            offerNight: !week.hasDaytime && week.hasAny && !showNight,
            previousWeek: week.previousWeek.map { Jump(day: $0.description, label: req.t("video.booking.previous_week")) },
            nextWeek: nextWeek,
            pagerNextWeek: week.hasDaytime ? nextWeek : nil,
            nextDaytime: week.hasDaytime ? nil : week.nextDaytimeDay.map { Jump(day: $0.description, label: req.t("video.booking.next_daytime", named($0))) },
            nightShownText: req.t("video.booking.night_shown"), nightHiddenText: req.t("video.booking.night_hidden"))
    }

    /// What to do in a week without a daytime time: show the night hours (or pick one), look at
    /// the next week, or, at the end of the booking window, look at an earlier one.
    static func advice(_ week: SlotWeek, showNight: Bool, req: Request) -> String {
        switch (week.hasAny, showNight, week.nextWeek != nil) {
        case (true, false, true): req.t("video.booking.what_to_do_night")
        case (true, false, false): req.t("video.booking.what_to_do_night_last")
        case (true, true, true): req.t("video.booking.what_to_do_shown")
        case (true, true, false): req.t("video.booking.what_to_do_shown_last")
        case (false, _, true): req.t("video.booking.what_to_do_week")
        case (false, _, false): req.t("video.booking.what_to_do_window_end", ["days": String(VideoBooking.window.days)])
        }
    }
}
