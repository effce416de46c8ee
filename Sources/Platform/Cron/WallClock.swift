import Foundation
import StreamJSON

/// Local wall-clock time as seconds on a uniform timeline (the wall time read as if it were UTC), and the
/// conversions between it and instants in one time zone.
///
/// Calendar arithmetic on this timeline has no gaps or repeats; the zone's offsets and transitions decide which
/// instants a wall time names. Foundation's `Calendar.date(from:)` resolves a skipped wall time by shifting it by
/// the gap (02:30 → 03:30), not to the end of the gap as cron does, so it is not used for that.
enum WallClock {
    static let secondsPerDay = 86_400

    /// A civil date in the proleptic Gregorian calendar.
    struct Civil: Equatable {
        var year: Int
        var month: Int
        var day: Int
    }

    /// Days since 1970-01-01 of a civil date (months 1-12, any day; no validation): `Timestamp`'s algorithm, the
    /// package's one owner of civil-date arithmetic.
    static func days(from date: Civil) -> Int {
        Int(Timestamp.daysFromCivil(year: Int64(date.year), month: Int64(date.month), day: Int64(date.day)))
    }

    /// The civil date `days` after 1970-01-01.
    static func civil(fromDays days: Int) -> Civil {
        let date = Timestamp.civilFromDays(Int64(days))
        return Civil(year: Int(date.year), month: Int(date.month), day: Int(date.day))
    }

    /// The year of a wall time.
    static func year(ofWall wall: Int) -> Int { civil(fromDays: floorDivide(wall, secondsPerDay)).year }

    /// The weekday of a day count: 0 Sunday ... 6 Saturday (1970-01-01 was a Thursday).
    static func weekday(ofDays days: Int) -> Int { floorModulo(days + 4, 7) }

    /// The number of days in a month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorModulo(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }
}

/// A time zone seen through whole seconds: offsets, transitions and the instants of a wall time.
struct ZoneClock {
    var timeZone: TimeZone

    /// The zone's offset from UTC at an instant (seconds since the epoch).
    func offset(at instant: Int) -> Int { timeZone.secondsFromGMT(for: date(instant)) }

    /// The wall time of an instant.
    func wall(at instant: Int) -> Int { instant + offset(at: instant) }

    /// The first offset change strictly after `instant`, or nil.
    func transition(after instant: Int) -> Int? {
        timeZone.nextDaylightSavingTimeTransition(after: date(instant)).map {
            Int($0.timeIntervalSince1970.rounded(.up))
        }
    }

    /// The instants a wall time names.
    ///
    /// Assumes at most one offset change within a day either side of the wall time, true of every real zone.
    func resolve(wall: Int) -> Resolution {
        let before = offset(at: wall - WallClock.secondsPerDay)
        let after = offset(at: wall + WallClock.secondsPerDay)
        let early = wall - before
        let late = wall - after
        let earlyIsReal = offset(at: early) == before
        let lateIsReal = offset(at: late) == after
        switch (earlyIsReal, lateIsReal) {
        case (true, true) where early != late: return .repeated(first: min(early, late), second: max(early, late))
        case (true, _): return .unique(early)
        case (_, true): return .unique(late)
        case (false, false): return .skipped(gapEnd: transition(after: wall - WallClock.secondsPerDay) ?? early)
        }
    }

    /// What instants a wall time names.
    enum Resolution: Equatable {
        /// One instant.
        case unique(Int)
        /// Two instants: the wall time is in an hour the clocks repeat when they go back.
        case repeated(first: Int, second: Int)
        /// None: the clocks jumped over it; `gapEnd` is the first instant after the jump.
        case skipped(gapEnd: Int)

        /// When a fixed-time job runs for this wall time: its only or first instant, or the end of the gap.
        var firstFire: Int {
            switch self {
            case .unique(let instant), .repeated(first: let instant, second: _), .skipped(gapEnd: let instant): instant
            }
        }
    }

    private func date(_ instant: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(instant)) }
}
