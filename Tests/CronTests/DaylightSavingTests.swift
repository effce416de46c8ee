import Foundation
import Testing

@testable import Cron

/// Europe/Berlin 2026: 29 March 02:00 CET → 03:00 CEST (01:00 UTC); 25 October 03:00 CEST → 02:00 CET (01:00 UTC).
/// America/New_York 2026: 8 March 02:00 EST → 03:00 EDT (07:00 UTC); 1 November 02:00 EDT → 01:00 EST (06:00 UTC).
@Suite("CronExpression: daylight saving time")
struct DaylightSavingTests {
    let berlin = zone("Europe/Berlin")
    let newYork = zone("America/New_York")

    @Test("a wall time names one instant, two in a repeated hour, or none in a gap (with the gap's end)")
    func resolution() {
        let clock = ZoneClock(timeZone: berlin)
        // Wall times are written as if they were UTC; instants are real.
        let seconds = { (text: String) in Int(at(text).timeIntervalSince1970) }
        #expect(clock.resolve(wall: seconds("2026-03-29T01:30:00Z")) == .unique(seconds("2026-03-29T00:30:00Z")))
        #expect(
            clock.resolve(wall: seconds("2026-03-29T02:30:00Z")) == .skipped(gapEnd: seconds("2026-03-29T01:00:00Z")))
        #expect(clock.resolve(wall: seconds("2026-03-29T03:00:00Z")) == .unique(seconds("2026-03-29T01:00:00Z")))
        #expect(
            clock.resolve(wall: seconds("2026-10-25T02:30:00Z"))
                == .repeated(first: seconds("2026-10-25T00:30:00Z"), second: seconds("2026-10-25T01:30:00Z")))
        #expect(clock.resolve(wall: seconds("2026-10-25T03:00:00Z")) == .unique(seconds("2026-10-25T02:00:00Z")))
        #expect(ZoneClock(timeZone: utc).resolve(wall: 1_800_000_000) == .unique(1_800_000_000))
    }

    @Test("Berlin spring forward: 02:30 does not exist and fires once, at 03:00 CEST")
    func berlinSpringForward() {
        #expect(
            cron("30 2 * * *").next(after: at("2026-03-28T12:00:00Z"), in: berlin) == at("2026-03-29T03:00:00+02:00"))
        #expect(
            fires("30 2 * * *", in: berlin, after: "2026-03-28T00:00:00Z", through: "2026-03-31T00:00:00Z")
                == instants("2026-03-28T02:30:00+01:00", "2026-03-29T01:00:00Z", "2026-03-30T02:30:00+02:00"))
        // Every skipped minute of a fixed hour fires at the end of the gap, once.
        #expect(
            fires("*/20 2 * * *", in: berlin, after: "2026-03-28T23:00:00Z", through: "2026-03-30T00:00:00Z")
                == instants("2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"))
        #expect(
            fires("* 2 * * *", in: berlin, after: "2026-03-28T23:00:00Z", through: "2026-03-29T23:00:00Z")
                == instants("2026-03-29T03:00:00+02:00"))
        #expect(
            cron("30 3 * * *").next(after: at("2026-03-28T12:00:00Z"), in: berlin) == at("2026-03-29T03:30:00+02:00"))
    }

    @Test("Berlin fall back: 02:30 happens twice and fires once, at its first occurrence")
    func berlinFallBack() {
        #expect(
            fires("30 2 * * *", in: berlin, after: "2026-10-24T12:00:00Z", through: "2026-10-26T12:00:00Z")
                == instants("2026-10-25T00:30:00Z", "2026-10-26T02:30:00+01:00"))
        // From the second occurrence, or between the two, the next run is the next day.
        #expect(cron("30 2 * * *").next(after: at("2026-10-25T00:30:00Z"), in: berlin) == at("2026-10-26T01:30:00Z"))
        #expect(cron("30 2 * * *").next(after: at("2026-10-25T01:40:00Z"), in: berlin) == at("2026-10-26T01:30:00Z"))
        // A fixed hour with every minute runs the first 02:00-02:59 only.
        let minutes = fires("* 2 * * *", in: berlin, after: "2026-10-24T22:00:00Z", through: "2026-10-25T23:00:00Z")
        #expect(minutes.count == 60)
        #expect(minutes.first == at("2026-10-25T00:00:00Z") && minutes.last == at("2026-10-25T00:59:00Z"))
    }

    @Test("an hour field of * fires every real hour: 25 on the fall-back day, 23 on the spring-forward day")
    func wildcardHours() {
        let autumn = fires(
            "0 * * * *", in: berlin, after: "2026-10-25T00:00:00+02:00", through: "2026-10-25T23:59:00+01:00")
        #expect(autumn.count == 24)  // after midnight: 01:00 CEST through 23:00 CET
        let autumnDay = fires("0 * * * *", in: berlin, after: "2026-10-24T21:59:00Z", through: "2026-10-25T22:59:00Z")
        #expect(autumnDay == (0..<25).map { at("2026-10-24T22:00:00Z") + TimeInterval($0 * 3600) })
        let springDay = fires("0 * * * *", in: berlin, after: "2026-03-28T22:59:00Z", through: "2026-03-29T21:59:00Z")
        #expect(springDay == (0..<23).map { at("2026-03-28T23:00:00Z") + TimeInterval($0 * 3600) })
        // 02:30 does not exist on the spring day and is not caught up when the hour is *.
        let halfPast = fires("30 * * * *", in: berlin, after: "2026-03-28T22:59:00Z", through: "2026-03-29T21:59:00Z")
        #expect(halfPast.count == 23 && !halfPast.contains(at("2026-03-29T01:00:00Z")))
        #expect(
            cron("*/15 * * * *").next(after: at("2026-03-29T01:45:00+01:00"), in: berlin)
                == at("2026-03-29T03:00:00+02:00"))
    }

    @Test("New York spring forward: 02:30 fires at 03:00 EDT")
    func newYorkSpringForward() {
        #expect(
            fires("30 2 * * *", in: newYork, after: "2026-03-07T12:00:00Z", through: "2026-03-09T12:00:00Z")
                == instants("2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"))
    }

    @Test("New York fall back: a fixed 01:30 runs once, the wildcard hour runs both 01:00s")
    func newYorkFallBack() {
        #expect(
            fires("30 1 * * *", in: newYork, after: "2026-10-31T12:00:00Z", through: "2026-11-02T12:00:00Z")
                == instants("2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"))
        let hours = fires(
            "0 * * * *", in: newYork, after: "2026-11-01T00:30:00-04:00", through: "2026-11-01T02:30:00-05:00")
        #expect(
            hours == instants("2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"))
        // From the first 01:45, the next half hour is the second 01:00.
        #expect(
            cron("*/30 * * * *").next(after: at("2026-11-01T01:45:00-04:00"), in: newYork)
                == at("2026-11-01T01:00:00-05:00"))
        let day = fires(
            "0 * * * *", in: newYork, after: "2026-11-01T00:00:00-04:00", through: "2026-11-01T23:59:00-05:00")
        #expect(day.count == 24)  // 01:00 EDT through 23:00 EST, the hour 01 twice
    }

    @Test("a skipped midnight (Santiago, 6 September 2026 00:00 → 01:00) runs a daily job at 01:00")
    func skippedMidnight() {
        let santiago = zone("America/Santiago")
        #expect(cron("@daily").next(after: at("2026-09-05T12:00:00Z"), in: santiago) == at("2026-09-06T01:00:00-03:00"))
        #expect(
            cron("0 0 * * SUN").next(after: at("2026-09-05T12:00:00Z"), in: santiago) == at("2026-09-06T01:00:00-03:00")
        )
    }

    @Test("a 30-minute shift (Lord Howe, 4 October 2026 02:00 → 02:30) runs 02:15 at 02:30")
    func halfHourShift() {
        let lordHowe = zone("Australia/Lord_Howe")
        #expect(
            cron("15 2 * * *").next(after: at("2026-10-03T12:00:00Z"), in: lordHowe) == at("2026-10-04T02:30:00+11:00"))
        #expect(
            cron("45 2 * * *").next(after: at("2026-10-03T12:00:00Z"), in: lordHowe) == at("2026-10-04T02:45:00+11:00"))
    }

    @Test("a daily noon in Berlin over 2026 matches Foundation's calendar on every day")
    func calendarAgreement() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        let noons = fires("0 12 * * *", in: berlin, after: "2025-12-31T23:00:00Z", through: "2026-12-31T23:00:00Z")
        #expect(noons.count == 365)
        for noon in noons {
            var parts = calendar.dateComponents([.year, .month, .day], from: noon)
            parts.hour = 12
            #expect(calendar.date(from: parts) == noon)
        }
    }

    @Test("the logical time of a run in the repeated hour is the first occurrence")
    func logicalTimeInRepeatedHour() {
        let trigger = ScheduleTrigger.cron(cron("30 2 * * *"), berlin)
        #expect(trigger.logicalTime(atOrBefore: at("2026-10-25T01:45:00Z")) == at("2026-10-25T00:30:00Z"))
        #expect(trigger.logicalTime(atOrBefore: at("2026-03-29T01:00:00Z")) == at("2026-03-29T01:00:00Z"))
        #expect(trigger.logicalTime(atOrBefore: at("2026-03-29T00:59:59Z")) == at("2026-03-28T01:30:00Z"))
    }

    @Test(
        "next agrees with a minute-by-minute scan of the real clock around each 2026 transition",
        arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham"])
    func referenceScan(zoneName: String) {
        let timeZone = zone(zoneName)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let texts = [
            "30 2 * * *", "0 * * * *", "*/15 * * * *", "* 2 * * *", "15 1,2,3 * * *", "0 0 * * *", "45 */2 * * *",
            "*/10 1-3 * * *", "30 * * * *", "0,30 0-3 * * *", "59 23 * * *",
        ]
        var transition = at("2026-01-01T00:00:00Z")
        var transitions = 0
        while let next = timeZone.nextDaylightSavingTimeTransition(after: transition), next < at("2027-01-01T00:00:00Z")
        {
            transition = next
            transitions += 1
            let start = next - 2 * 86_400
            let end = next + 2 * 86_400
            // The wall clock of each real minute, in minutes on the uniform local timeline.
            let minutes = stride(from: start, through: end, by: 60).map { instant in
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
                let days = WallClock.days(
                    from: .init(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0))
                return (instant, days * 1440 + (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
            }
            for text in texts {
                let expression = cron(text)
                func matches(_ wall: Int) -> Bool {
                    let days = WallClock.floorDivide(wall, 1440)
                    let date = WallClock.civil(fromDays: days)
                    return expression.minutes.contains(wall % 1440 % 60) && expression.hours.contains(wall % 1440 / 60)
                        && expression.daysOfMonth.contains(date.day) && expression.months.contains(date.month)
                }
                var expected: [Date] = []
                var fired: Set<Int> = []
                var previous: Int?
                for (instant, wall) in minutes {
                    if expression.hours.isStar {
                        if matches(wall) { expected.append(instant) }
                        continue
                    }
                    // Fixed hours: each matching wall time once, a skipped one at the first minute after the jump.
                    let skipped = previous.map { Array($0 + 1..<max(wall, $0 + 1)) } ?? []
                    let due = (skipped + [wall]).filter { matches($0) && fired.insert($0).inserted }
                    if !due.isEmpty { expected.append(instant) }
                    previous = wall
                }
                let found = ScheduleTrigger.cron(expression, timeZone).fireTimes(
                    after: start - 1, through: end, limit: 10_000)
                #expect(found == expected, "\(text) in \(zoneName) around \(next)")
            }
        }
        #expect(transitions == 2)
    }
}
