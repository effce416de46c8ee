import Foundation
import Testing

@testable import Cron

@Suite("ScheduleTrigger")
struct ScheduleTriggerTests {
    @Test("an interval fires at multiples since the epoch, strictly after the instant")
    func intervalNext() {
        let fiveMinutes = ScheduleTrigger.every(.seconds(300))
        #expect(fiveMinutes.next(after: at("2026-05-04T10:02:30Z")) == at("2026-05-04T10:05:00Z"))
        #expect(fiveMinutes.next(after: at("2026-05-04T10:05:00Z")) == at("2026-05-04T10:10:00Z"))
        #expect(fiveMinutes.next(after: at("2026-05-04T10:04:59.999Z")) == at("2026-05-04T10:05:00Z"))
        let seven = ScheduleTrigger.every(.seconds(7))
        #expect(seven.next(after: Date(timeIntervalSince1970: 100)) == Date(timeIntervalSince1970: 105))
        #expect(
            ScheduleTrigger.every(.milliseconds(1500)).next(after: Date(timeIntervalSince1970: 3))
                == Date(timeIntervalSince1970: 4.5))
        #expect(
            ScheduleTrigger.every(.seconds(3600)).next(after: at("1969-12-31T22:30:00Z")) == at("1969-12-31T23:00:00Z"))
    }

    @Test("an interval's fire times do not depend on when the process started")
    func intervalAlignment() {
        let hourly = ScheduleTrigger.every(.seconds(3600))
        let starts = instants("2026-05-04T09:00:00.5Z", "2026-05-04T09:17:00Z", "2026-05-04T09:59:59Z")
        #expect(starts.map { hourly.next(after: $0) } == Array(repeating: at("2026-05-04T10:00:00Z"), count: 3))
        let daily = ScheduleTrigger.every(.seconds(86_400))
        #expect(daily.next(after: at("2026-05-04T13:00:00Z")) == at("2026-05-05T00:00:00Z"))
    }

    @Test("an interval's logical time is the multiple at or before the instant")
    func intervalLogicalTime() {
        let fiveMinutes = ScheduleTrigger.every(.seconds(300))
        #expect(fiveMinutes.logicalTime(atOrBefore: at("2026-05-04T10:05:00Z")) == at("2026-05-04T10:05:00Z"))
        #expect(fiveMinutes.logicalTime(atOrBefore: at("2026-05-04T10:09:59Z")) == at("2026-05-04T10:05:00Z"))
        #expect(
            ScheduleTrigger.every(.seconds(3600)).logicalTime(atOrBefore: at("1969-12-31T23:30:00Z"))
                == at("1969-12-31T23:00:00Z"))
    }

    @Test("fire times are those in (start, end], at most the limit")
    func intervalFireTimes() {
        let fiveMinutes = ScheduleTrigger.every(.seconds(300))
        let all = fiveMinutes.fireTimes(
            after: at("2026-05-04T10:00:00Z"), through: at("2026-05-04T10:30:00Z"), limit: 100)
        #expect(all == (1...6).map { at("2026-05-04T10:00:00Z") + TimeInterval($0 * 300) })
        let firstThree = fiveMinutes.fireTimes(
            after: at("2026-05-04T10:00:00Z"), through: at("2026-05-04T10:30:00Z"), limit: 3)
        #expect(firstThree == Array(all.prefix(3)))
        #expect(
            fiveMinutes.fireTimes(after: at("2026-05-04T10:00:00Z"), through: at("2026-05-04T10:04:59Z"), limit: 5)
                .isEmpty)
        #expect(
            fiveMinutes.fireTimes(after: at("2026-05-04T10:00:00Z"), through: at("2026-05-04T11:00:00Z"), limit: 0)
                .isEmpty)
    }

    @Test("an interval below a millisecond never fires")
    func degenerateInterval() {
        #expect(ScheduleTrigger.every(.zero).next(after: at("2026-05-04T10:00:00Z")) == nil)
        #expect(ScheduleTrigger.every(.seconds(-5)).logicalTime(atOrBefore: at("2026-05-04T10:00:00Z")) == nil)
        #expect(
            ScheduleTrigger.every(.nanoseconds(10)).fireTimes(after: .distantPast, through: .distantFuture, limit: 5)
                .isEmpty)
    }

    @Test("interval(_:) refuses less than a second")
    func minimumInterval() throws {
        #expect(try ScheduleTrigger.interval(.seconds(1)) == .every(.seconds(1)))
        #expect(throws: ScheduleTriggerError.intervalBelowMinimum(.milliseconds(500), minimum: .seconds(1))) {
            try ScheduleTrigger.interval(.milliseconds(500))
        }
        let error = ScheduleTriggerError.intervalBelowMinimum(.milliseconds(500), minimum: .seconds(1))
        #expect(error.description == "schedule interval 500ms is below the minimum of 1s")
        #expect(throws: ScheduleTriggerError.self) { try ScheduleTrigger.interval(.zero) }
    }

    @Test("timeZone(named:) refuses a name Foundation does not know")
    func timeZones() throws {
        #expect(try ScheduleTrigger.timeZone(named: "Europe/Berlin").identifier == "Europe/Berlin")
        #expect(try ScheduleTrigger.timeZone(named: "UTC").secondsFromGMT(for: at("2026-01-01T00:00:00Z")) == 0)
        #expect(throws: ScheduleTriggerError.unknownTimeZone("Mars/Olympus")) {
            try ScheduleTrigger.timeZone(named: "Mars/Olympus")
        }
        #expect(throws: ScheduleTriggerError.unknownTimeZone("")) { try ScheduleTrigger.timeZone(named: "") }
        #expect(
            ScheduleTriggerError.unknownTimeZone("Mars/Olympus").description
                == "unknown time zone \"Mars/Olympus\": use an IANA name such as UTC or Europe/Berlin")
    }

    @Test("descriptions are one short line")
    func descriptions() {
        #expect(ScheduleTrigger.every(.seconds(300)).description == "every 5m")
        #expect(ScheduleTrigger.every(.seconds(90)).description == "every 90s")
        #expect(ScheduleTrigger.every(.seconds(7200)).description == "every 2h")
        #expect(
            ScheduleTrigger.cron(cron("0 2 * * *"), zone("Europe/Berlin")).description
                == "cron \"0 2 * * *\" in Europe/Berlin")
        let texts = [Duration.milliseconds(1500), .microseconds(250), .nanoseconds(7), .zero, .milliseconds(-500)]
            .map(ScheduleTriggerError.text(of:))
        #expect(texts == ["1500ms", "250us", "7ns", "0s", "-500ms"])
    }

    @Test("triggers compare by interval, or by expression and zone")
    func equality() {
        #expect(ScheduleTrigger.every(.seconds(60)) == .every(.milliseconds(60_000)))
        #expect(ScheduleTrigger.cron(cron("@daily"), utc) == .cron(cron("@daily"), utc))
        #expect(ScheduleTrigger.cron(cron("@daily"), utc) != .cron(cron("@daily"), zone("Europe/Berlin")))
        #expect(ScheduleTrigger.cron(cron("@hourly"), utc) != .every(.seconds(3600)))
    }

    @Test("a cron trigger: next, logical time and missed runs")
    func cronTrigger() {
        let trigger = ScheduleTrigger.cron(cron("0 */6 * * *"), utc)
        #expect(trigger.next(after: at("2026-05-04T10:00:00Z")) == at("2026-05-04T12:00:00Z"))
        #expect(trigger.logicalTime(atOrBefore: at("2026-05-04T12:00:00Z")) == at("2026-05-04T12:00:00Z"))
        #expect(trigger.logicalTime(atOrBefore: at("2026-05-04T11:59:59.5Z")) == at("2026-05-04T06:00:00Z"))
        let missed = trigger.fireTimes(after: at("2026-05-04T06:00:00Z"), through: at("2026-05-06T07:00:00Z"), limit: 4)
        #expect(
            missed
                == instants(
                    "2026-05-04T12:00:00Z", "2026-05-04T18:00:00Z", "2026-05-05T00:00:00Z", "2026-05-05T06:00:00Z"))
    }

    @Test("a cron trigger's logical time looks back years when it must, and gives nil for no match")
    func cronLogicalTimeFarBack() {
        let leap = ScheduleTrigger.cron(cron("0 0 29 2 *"), utc)
        #expect(leap.logicalTime(atOrBefore: at("2026-06-01T00:00:00Z")) == at("2024-02-29T00:00:00Z"))
        #expect(leap.logicalTime(atOrBefore: at("2104-02-28T00:00:00Z")) == at("2096-02-29T00:00:00Z"))
        let minutely = ScheduleTrigger.cron(cron("* * * * *"), utc)
        #expect(minutely.logicalTime(atOrBefore: at("2026-05-04T10:00:59Z")) == at("2026-05-04T10:00:00Z"))
        let never = ScheduleTrigger.cron(cron("0 0 30 2 *"), utc)
        #expect(never.logicalTime(atOrBefore: at("2026-06-01T00:00:00Z")) == nil)
        #expect(never.next(after: at("2026-06-01T00:00:00Z")) == nil)
    }
}
