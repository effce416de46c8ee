import Foundation

/// When a scheduled job runs: at every multiple of an interval since the Unix epoch, or at the times of a cron
/// expression in a time zone.
///
/// Interval fire times are aligned to the epoch (every 5 minutes fires at :00, :05, ...), so a job's logical times
/// are the same across restarts. Arithmetic is in whole milliseconds.
public enum ScheduleTrigger: Sendable, Equatable, CustomStringConvertible {
    /// Every multiple of the interval since 1970-01-01 00:00 UTC. Build it with ``interval(_:)`` to refuse
    /// intervals below one second; an interval below a millisecond never fires.
    case every(Duration)
    /// The wall times of the expression in the zone (see ``CronExpression`` for daylight saving time).
    case cron(CronExpression, TimeZone)

    /// The shortest interval ``interval(_:)`` accepts.
    public static let minimumInterval = Duration.seconds(1)

    /// How far ``logicalTime(atOrBefore:)`` looks back for a cron expression, in seconds (8 years).
    static let lookBack = 8 * 366 * 86_400

    /// `.every(interval)`, refusing an interval below ``minimumInterval``.
    public static func interval(_ interval: Duration) throws(ScheduleTriggerError) -> ScheduleTrigger {
        guard interval >= minimumInterval else {
            throw .intervalBelowMinimum(interval, minimum: minimumInterval)
        }
        return .every(interval)
    }

    /// The zone with an IANA name (`UTC`, `Europe/Berlin`), refusing a name Foundation does not know.
    public static func timeZone(named name: String) throws(ScheduleTriggerError) -> TimeZone {
        guard !name.isEmpty, let zone = TimeZone(identifier: name) else { throw .unknownTimeZone(name) }
        return zone
    }

    /// `every 5m`, or `cron "0 2 * * *" in Europe/Berlin`.
    public var description: String {
        switch self {
        case .every(let interval): "every \(ScheduleTriggerError.text(of: interval))"
        case .cron(let expression, let zone): "cron \"\(expression)\" in \(zone.identifier)"
        }
    }

    /// The first fire time strictly after `instant`, or nil (an interval below a millisecond, or a cron
    /// expression with no match within 8 years).
    public func next(after instant: Date) -> Date? {
        switch self {
        case .every(let interval):
            guard let period = Self.milliseconds(of: interval), let now = Self.milliseconds(of: instant) else {
                return nil
            }
            return Date(epochMilliseconds: Int64((WallClock.floorDivide(now, period) + 1) * period))
        case .cron(let expression, let zone):
            return expression.next(after: instant, in: zone)
        }
    }

    /// The latest fire time at or before `instant`: the logical time of the run due at `instant`. Nil when there is
    /// none (a cron expression with no match in the 8 years before `instant`).
    public func logicalTime(atOrBefore instant: Date) -> Date? {
        switch self {
        case .every(let interval):
            guard let period = Self.milliseconds(of: interval), let now = Self.milliseconds(of: instant) else {
                return nil
            }
            return Date(epochMilliseconds: Int64(WallClock.floorDivide(now, period) * period))
        case .cron:
            // Widen a window back from `instant` until it holds a fire time, then binary-search the latest point
            // whose next fire time is still at or before `instant`: that next fire time is the answer.
            let fires = { (seconds: Int) in next(after: Date(timeIntervalSince1970: TimeInterval(seconds))) }
            let end = Int(instant.timeIntervalSince1970.rounded(.down))
            var later = end
            var window = 60
            while later > end - Self.lookBack {
                let earlier = end - window
                if let fire = fires(earlier), fire <= instant {
                    var (low, high) = (earlier, later)  // next(after: low) <= instant < next(after: high)
                    while high - low > 1 {
                        let middle = low + (high - low) / 2
                        if let fire = fires(middle), fire <= instant { low = middle } else { high = middle }
                    }
                    return fires(low)
                }
                (later, window) = (earlier, min(window * 2, Self.lookBack))
            }
            return nil
        }
    }

    /// The fire times in `(start, end]`, ascending, at most `limit` of them (the earliest): the runs missed
    /// between two instants.
    public func fireTimes(after start: Date, through end: Date, limit: Int) -> [Date] {
        var times: [Date] = []
        var cursor = start
        while times.count < limit, let fire = next(after: cursor), fire <= end {
            times.append(fire)
            cursor = fire
        }
        return times
    }

    private static func milliseconds(of interval: Duration) -> Int? {
        let (seconds, attoseconds) = interval.components
        let (whole, overflow) = Int(seconds).multipliedReportingOverflow(by: 1000)
        let total = whole + Int(attoseconds / 1_000_000_000_000_000)
        return overflow || total < 1 ? nil : total
    }

    private static func milliseconds(of instant: Date) -> Int? {
        let value = (instant.timeIntervalSince1970 * 1000).rounded(.down)
        return abs(value) < 1e17 ? Int(value) : nil
    }
}

/// Why a schedule was refused; one line.
public enum ScheduleTriggerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The interval is shorter than the minimum.
    case intervalBelowMinimum(Duration, minimum: Duration)
    /// Foundation knows no time zone by this name.
    case unknownTimeZone(String)

    /// `schedule interval 500ms is below the minimum of 1s`, or
    /// `unknown time zone "Mars/Olympus": use an IANA name such as UTC or Europe/Berlin`.
    public var description: String {
        switch self {
        case .intervalBelowMinimum(let interval, let minimum):
            "schedule interval \(Self.text(of: interval)) is below the minimum of \(Self.text(of: minimum))"
        case .unknownTimeZone(let name):
            "unknown time zone \"\(name)\": use an IANA name such as UTC or Europe/Berlin"
        }
    }

    /// A duration in its largest exact unit: `2h`, `90s`, `500ms`, `250us`, `7ns`.
    static func text(of duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 {
            for (unit, size) in [("h", Int64(3600)), ("m", 60)] where seconds != 0 && seconds % size == 0 {
                return "\(seconds / size)\(unit)"
            }
            return "\(seconds)s"
        }
        guard abs(seconds) < 1_000_000_000 else { return "\(duration)" }
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        for (unit, size) in [("ms", Int64(1_000_000)), ("us", 1000)] where nanoseconds % size == 0 {
            return "\(nanoseconds / size)\(unit)"
        }
        return "\(nanoseconds)ns"
    }
}
