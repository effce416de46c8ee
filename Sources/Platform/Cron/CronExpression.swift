import Foundation

/// A standard five-field cron expression: `minute hour day-of-month month day-of-week`.
///
/// Each field takes `*`, numbers, ranges `a-b`, lists `a,b`, and steps `*/n`, `a-b/n`, `a/n` (from `a` to the
/// field's end). Months take `JAN`-`DEC` and weekdays `SUN`-`SAT` in any case; weekday 7 is Sunday. The macros
/// `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`) and `@hourly` stand for their usual
/// expressions. As in Vixie cron, when both day-of-month and day-of-week are restricted (neither starts with `*`),
/// a day matches when either does; otherwise both must.
///
/// Daylight saving time, as in cronie: when the hour field starts with `*` the expression is matched against each
/// real minute, so wall times the clocks skip never fire and an hour the clocks repeat fires twice. Otherwise each
/// matching wall time fires once: a skipped one at the first instant after the jump (02:30 on the day
/// Europe/Berlin goes from 02:00 to 03:00 fires at 03:00), a repeated one at its first occurrence.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let weekdays: CronField
    private let text: String

    /// How far ``next(after:in:)`` looks ahead, in years (a 29 February can be 8 years away).
    static let horizonYears = 8

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    private static let fieldNames = "minute hour day-of-month month day-of-week"

    /// Parses an expression: five fields separated by whitespace, or one macro such as `@daily`.
    public init(parsing text: String) throws(CronParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        var fields = words
        if let first = words.first, first.hasPrefix("@") {
            let macro = first.lowercased()
            guard let expansion = Self.macros[macro] else {
                throw CronParseError(
                    expression: trimmed,
                    reason: "unknown macro \(first) (use @yearly, @annually, @monthly, @weekly, @daily, @midnight "
                        + "or @hourly)")
            }
            guard words.count == 1 else {
                throw CronParseError(
                    expression: trimmed, reason: "macro \(macro) takes no fields, found \(words.count - 1) more")
            }
            fields = expansion.split(separator: " ").map(String.init)
            self.text = macro
        } else {
            guard words.count == 5 else {
                throw CronParseError(
                    expression: trimmed, reason: "expected 5 fields (\(Self.fieldNames)), found \(words.count)")
            }
            self.text = words.map { $0.uppercased() }.joined(separator: " ")
        }
        do {
            minutes = try CronFieldKind.minute.parse(fields[0])
            hours = try CronFieldKind.hour.parse(fields[1])
            daysOfMonth = try CronFieldKind.dayOfMonth.parse(fields[2])
            months = try CronFieldKind.month.parse(fields[3])
            weekdays = try CronFieldKind.dayOfWeek.parse(fields[4])
        } catch {
            throw CronParseError(expression: trimmed, reason: error.reason)
        }
    }

    /// The expression with single spaces and upper-case names (`0 12 * * MON-FRI`), or the lower-case macro.
    public var description: String { text }

    /// The first whole-minute instant strictly after `instant` whose wall time in `timeZone` matches, following
    /// the daylight saving rules above; nil when there is none within 8 years (`0 0 30 2 *`).
    public func next(after instant: Date, in timeZone: TimeZone) -> Date? {
        let seconds = instant.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e15 else { return nil }
        let zone = ZoneClock(timeZone: timeZone)
        let floorMinute = Int((seconds / 60).rounded(.down)) * 60
        let limit = WallClock.year(ofWall: zone.wall(at: floorMinute)) + Self.horizonYears
        let found: Int?
        if hours.isStar {
            found = nextRealMinute(from: floorMinute + 60, zone: zone, yearLimit: limit)
        } else {
            found = nextWallTime(after: seconds, floorMinute: floorMinute, zone: zone, yearLimit: limit)
        }
        return found.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Hour field `*`: the first real minute from `start` whose wall time matches. Walks from one match of the wall
    /// clock to the next, stopping at each offset change on the way, where the wall clock jumps.
    private func nextRealMinute(from start: Int, zone: ZoneClock, yearLimit: Int) -> Int? {
        var instant = start
        while true {
            let wall = zone.wall(at: instant)
            guard let match = nextMatch(after: wall - 1, yearLimit: yearLimit) else { return nil }
            if match == wall { return instant }
            let target = instant + (match - wall)
            if let change = zone.transition(after: instant), change <= target {
                instant = WallClock.floorDivide(change + 59, 60) * 60
            } else {
                instant = target
            }
        }
    }

    /// Fixed hours: the first matching wall time whose instant (first occurrence, or the end of a skipped gap) is
    /// after `instant`. Those instants never decrease as the wall time grows, so the first one found is the answer.
    private func nextWallTime(after instant: Double, floorMinute: Int, zone: ZoneClock, yearLimit: Int) -> Int? {
        var wall = zone.wall(at: floorMinute) - 1
        while let match = nextMatch(after: wall, yearLimit: yearLimit) {
            let fire = zone.resolve(wall: match).firstFire
            if Double(fire) > instant { return fire }
            wall = match
        }
        return nil
    }

    /// The first whole-minute wall time strictly after `wall` that matches, or nil after `yearLimit`.
    /// Skips whole months, days and hours that cannot match.
    func nextMatch(after wall: Int, yearLimit: Int) -> Int? {
        let start = WallClock.floorDivide(wall, 60) * 60 + 60
        let startDays = WallClock.floorDivide(start, WallClock.secondsPerDay)
        var date = WallClock.civil(fromDays: startDays)
        let secondOfDay = start - startDays * WallClock.secondsPerDay
        var hour = secondOfDay / 3600
        var minute = secondOfDay % 3600 / 60
        while date.year <= yearLimit {
            guard let month = months.next(atOrAfter: date.month) else {
                (date, hour, minute) = (.init(year: date.year + 1, month: 1, day: 1), 0, 0)
                continue
            }
            if month != date.month { (date, hour, minute) = (.init(year: date.year, month: month, day: 1), 0, 0) }
            guard date.day <= WallClock.daysInMonth(year: date.year, month: date.month) else {
                (date, hour, minute) = (.init(year: date.year, month: date.month + 1, day: 1), 0, 0)
                continue
            }
            let days = WallClock.days(from: date)
            guard matches(day: date.day, weekday: WallClock.weekday(ofDays: days)),
                let matchedHour = hours.next(atOrAfter: hour)
            else {
                (date.day, hour, minute) = (date.day + 1, 0, 0)
                continue
            }
            if matchedHour != hour { (hour, minute) = (matchedHour, 0) }
            guard let matchedMinute = minutes.next(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return days * WallClock.secondsPerDay + hour * 3600 + matchedMinute * 60
        }
        return nil
    }

    /// The day rule: either field when both are restricted, otherwise both.
    private func matches(day: Int, weekday: Int) -> Bool {
        let dayMatches = daysOfMonth.contains(day)
        let weekdayMatches = weekdays.contains(weekday)
        return daysOfMonth.isStar || weekdays.isStar ? dayMatches && weekdayMatches : dayMatches || weekdayMatches
    }
}
