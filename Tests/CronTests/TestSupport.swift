import Foundation
import Testing

@testable import Cron

/// A fixed instant from ISO 8601 text with `Z` or an offset: `2026-03-29T03:00:00+02:00`.
func at(_ text: String) -> Date {
    do {
        return try Date(text, strategy: .iso8601)
    } catch {
        fatalError("test instant \(text) is not ISO 8601: \(error)")
    }
}

/// A zone every test machine has.
func zone(_ name: String) -> TimeZone {
    guard let zone = TimeZone(identifier: name) else { fatalError("no time zone \(name)") }
    return zone
}

let utc = zone("UTC")

/// An expression the test knows is valid.
func cron(_ text: String) -> CronExpression {
    do {
        return try CronExpression(parsing: text)
    } catch {
        fatalError("\(error)")
    }
}

/// The fire times of `text` in `(start, end]`, at most 10 000.
func fires(_ text: String, in timeZone: TimeZone = utc, after start: String, through end: String) -> [Date] {
    ScheduleTrigger.cron(cron(text), timeZone).fireTimes(after: at(start), through: at(end), limit: 10_000)
}

/// Instants from ISO 8601 texts.
func instants(_ texts: String...) -> [Date] { texts.map(at) }
