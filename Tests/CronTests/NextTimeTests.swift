import Foundation
import Testing

@testable import Cron

@Suite("CronExpression: next time in UTC")
struct NextTimeTests {
    @Test("every minute: the next whole minute, strictly after")
    func everyMinute() {
        #expect(cron("* * * * *").next(after: at("2026-05-04T10:00:30Z"), in: utc) == at("2026-05-04T10:01:00Z"))
        #expect(cron("* * * * *").next(after: at("2026-05-04T10:00:00Z"), in: utc) == at("2026-05-04T10:01:00Z"))
        #expect(cron("* * * * *").next(after: at("2026-05-04T23:59:59Z"), in: utc) == at("2026-05-05T00:00:00Z"))
    }

    @Test("hourly at :15")
    func hourlyAtQuarterPast() {
        let expression = cron("15 * * * *")
        #expect(expression.next(after: at("2026-05-04T10:14:59Z"), in: utc) == at("2026-05-04T10:15:00Z"))
        #expect(expression.next(after: at("2026-05-04T10:15:00Z"), in: utc) == at("2026-05-04T11:15:00Z"))
        #expect(expression.next(after: at("2026-05-04T23:20:00Z"), in: utc) == at("2026-05-05T00:15:00Z"))
    }

    @Test("every 15 minutes")
    func quarterHours() {
        #expect(
            fires("*/15 * * * *", after: "2026-05-04T10:07:00Z", through: "2026-05-04T11:00:00Z")
                == instants(
                    "2026-05-04T10:15:00Z", "2026-05-04T10:30:00Z", "2026-05-04T10:45:00Z",
                    "2026-05-04T11:00:00Z"))
    }

    @Test("the 31st skips 30-day months and February")
    func thirtyFirst() {
        #expect(
            fires("0 0 31 * *", after: "2026-01-31T00:00:00Z", through: "2027-01-31T00:00:00Z")
                == instants(
                    "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z",
                    "2026-08-31T00:00:00Z", "2026-10-31T00:00:00Z", "2026-12-31T00:00:00Z",
                    "2027-01-31T00:00:00Z"))
    }

    @Test("29 February waits for the next leap year, across 2100 too")
    func leapDay() {
        #expect(cron("0 0 29 2 *").next(after: at("2026-01-01T00:00:00Z"), in: utc) == at("2028-02-29T00:00:00Z"))
        #expect(cron("0 0 29 2 *").next(after: at("2096-03-01T00:00:00Z"), in: utc) == at("2104-02-29T00:00:00Z"))
    }

    @Test("weekdays at noon skip the weekend")
    func weekdays() {
        // 2026-03-06 is a Friday.
        let expression = cron("0 12 * * MON-FRI")
        #expect(expression.next(after: at("2026-03-06T12:00:00Z"), in: utc) == at("2026-03-09T12:00:00Z"))
        #expect(expression.next(after: at("2026-03-06T11:00:00Z"), in: utc) == at("2026-03-06T12:00:00Z"))
    }

    @Test("both day fields restricted: a day matches either (every Friday and every 13th)")
    func dayRuleEither() {
        // March 2026: Fridays 6, 13, 20, 27; 13 April is a Monday.
        #expect(
            fires("0 0 13 * FRI", after: "2026-03-01T00:00:00Z", through: "2026-04-17T00:00:00Z")
                == instants(
                    "2026-03-06T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00Z",
                    "2026-03-27T00:00:00Z", "2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z",
                    "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z"))
    }

    @Test("a day field starting with * is not restricted: a day matches both (odd days that are Fridays)")
    func dayRuleBoth() {
        #expect(
            fires("0 0 */2 * FRI", after: "2026-03-01T00:00:00Z", through: "2026-03-31T00:00:00Z")
                == instants("2026-03-13T00:00:00Z", "2026-03-27T00:00:00Z"))
        #expect(
            fires("0 0 13 * *", after: "2026-03-01T00:00:00Z", through: "2026-05-01T00:00:00Z")
                == instants("2026-03-13T00:00:00Z", "2026-04-13T00:00:00Z"))
    }

    @Test("the year rolls over")
    func yearRollover() {
        #expect(cron("0 0 1 1 *").next(after: at("2026-12-31T23:59:00Z"), in: utc) == at("2027-01-01T00:00:00Z"))
        #expect(cron("59 23 31 12 *").next(after: at("2026-12-31T23:59:00Z"), in: utc) == at("2027-12-31T23:59:00Z"))
        #expect(cron("@yearly").next(after: at("2026-06-15T08:00:00Z"), in: utc) == at("2027-01-01T00:00:00Z"))
    }

    @Test("an expression that never matches gives nil", arguments: ["0 0 30 2 *", "0 0 31 4 *", "0 0 31 4,6,9,11 *"])
    func impossible(text: String) {
        #expect(cron(text).next(after: at("2026-01-01T00:00:00Z"), in: utc) == nil)
    }

    @Test("dates before the epoch work too")
    func beforeEpoch() {
        #expect(cron("30 6 * * *").next(after: at("1969-12-31T12:00:00Z"), in: utc) == at("1970-01-01T06:30:00Z"))
        #expect(cron("0 0 * * SUN").next(after: at("1969-07-20T20:17:00Z"), in: utc) == at("1969-07-27T00:00:00Z"))
    }

    @Test(
        "next agrees with a minute-by-minute scan",
        arguments: [
            "* * * * *", "*/7 * * * *", "5 4 * * *", "0 */5 * * *", "0 0 * * 1,3,5", "15 10 1-3 * SAT",
            "*/20 22-23 * * SUN", "0 0 1 * *", "59 23 28-31 2 *", "30 12 13 * FRI", "0 9 * JAN-MAR MON-FRI",
        ])
    func bruteForce(text: String) {
        let expression = cron(text)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        func matches(_ date: Date) -> Bool {
            let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
            guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month,
                let weekday = parts.weekday
            else { return false }
            let dayOK = expression.daysOfMonth.contains(day)
            let weekdayOK = expression.weekdays.contains(weekday - 1)
            let either = !expression.daysOfMonth.isStar && !expression.weekdays.isStar
            return expression.minutes.contains(minute) && expression.hours.contains(hour)
                && expression.months.contains(month) && (either ? dayOK || weekdayOK : dayOK && weekdayOK)
        }
        // Two months of minutes from a Saturday evening in January 2028 (a leap year) through the end of February.
        let start = at("2028-01-29T21:43:20Z")
        var expected: [Date] = []
        var minute = at("2028-01-29T21:44:00Z")
        while minute <= at("2028-03-01T00:00:00Z") {
            if matches(minute) { expected.append(minute) }
            minute += 60
        }
        let found = ScheduleTrigger.cron(expression, utc).fireTimes(
            after: start, through: at("2028-03-01T00:00:00Z"), limit: 100_000)
        #expect(found == expected)
    }
}

@Suite("WallClock: civil dates")
struct WallClockTests {
    @Test("day counts and civil dates agree with Foundation's Gregorian calendar from 1600 to 2500")
    func civil() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        for days in stride(from: -135_000, through: 193_000, by: 97) {
            let date = WallClock.civil(fromDays: days)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(days) * 86_400))
            #expect(parts.year == date.year && parts.month == date.month && parts.day == date.day)
            #expect(parts.weekday.map { $0 - 1 } == WallClock.weekday(ofDays: days))
            #expect(WallClock.days(from: date) == days)
            #expect(date.day <= WallClock.daysInMonth(year: date.year, month: date.month))
        }
        #expect(WallClock.daysInMonth(year: 2000, month: 2) == 29 && WallClock.daysInMonth(year: 2100, month: 2) == 28)
    }
}
