/// Formats UTC timestamps as RFC 3339 with milliseconds (`1958-06-23T03:40:17.665Z`), by hand and without Foundation.
public enum RFC3339 {
    /// Formats milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC).
    ///
    /// - Parameter milliseconds: Milliseconds since 1970-01-01T00:00:00Z; negative values are before it.
    /// - Returns: The UTF-8 bytes (24 bytes for years 0000–9999).
    public static func format(milliseconds: Int64) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(24)
        let parts = CivilTime(milliseconds: milliseconds)
        parts.appendRFC3339 { out.append($0) }
        return out
    }

    /// Formats milliseconds since the Unix epoch as an RFC 3339 UTC string with milliseconds.
    ///
    /// - Parameter milliseconds: Milliseconds since the Unix epoch.
    /// - Returns: For example `"2014-08-30T05:19:44.274Z"`.
    public static func string(milliseconds: Int64) -> String {
        String(decoding: self.format(milliseconds: milliseconds), as: UTF8.self)
    }
}

/// A UTC instant broken into calendar fields (proleptic Gregorian calendar).
struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// Splits milliseconds since the Unix epoch into calendar fields.
    init(milliseconds: Int64) {
        let msPerDay: Int64 = 86_400_000
        var days = milliseconds / msPerDay
        var rest = milliseconds % msPerDay
        if rest < 0 {
            rest += msPerDay
            days -= 1
        }
        let (y, m, d) = Self.civil(fromDays: Int(days))
        let r = Int(rest)
        self.init(
            year: y, month: m, day: d,
            hour: r / 3_600_000, minute: (r / 60_000) % 60, second: (r / 1000) % 60, millisecond: r % 1000
        )
    }

    /// Milliseconds since the Unix epoch.
    var milliseconds: Int64 {
        let days = Int64(Self.days(fromYear: self.year, month: self.month, day: self.day))
        return days * 86_400_000 + Int64(self.hour) * 3_600_000 + Int64(self.minute) * 60_000
            + Int64(self.second) * 1000 + Int64(self.millisecond)
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Whole years from `self` to `later` (an age), counting a year only once its anniversary has passed.
    func years(until later: CivilTime) -> Int {
        var years = later.year - self.year
        let laterKey = (later.month, later.day, later.hour, later.minute, later.second, later.millisecond)
        let selfKey = (self.month, self.day, self.hour, self.minute, self.second, self.millisecond)
        if laterKey < selfKey { years -= 1 }
        return years
    }

    /// Emits `YYYY-MM-DDTHH:MM:SS.sssZ` byte by byte.
    @inline(__always)
    func appendRFC3339(_ emit: (UInt8) -> Void) {
        var year = self.year
        if year < 0 {
            emit(UInt8(ascii: "-"))
            year = -year
        }
        if year > 9999 {
            for byte in String(year).utf8 { emit(byte) }
        } else {
            emit(UInt8(truncatingIfNeeded: 48 + year / 1000))
            emit(UInt8(truncatingIfNeeded: 48 + (year / 100) % 10))
            emit(UInt8(truncatingIfNeeded: 48 + (year / 10) % 10))
            emit(UInt8(truncatingIfNeeded: 48 + year % 10))
        }
        emit(UInt8(ascii: "-"))
        Self.two(self.month, emit)
        emit(UInt8(ascii: "-"))
        Self.two(self.day, emit)
        emit(UInt8(ascii: "T"))
        Self.two(self.hour, emit)
        emit(UInt8(ascii: ":"))
        Self.two(self.minute, emit)
        emit(UInt8(ascii: ":"))
        Self.two(self.second, emit)
        emit(UInt8(ascii: "."))
        emit(UInt8(truncatingIfNeeded: 48 + self.millisecond / 100))
        emit(UInt8(truncatingIfNeeded: 48 + (self.millisecond / 10) % 10))
        emit(UInt8(truncatingIfNeeded: 48 + self.millisecond % 10))
        emit(UInt8(ascii: "Z"))
    }

    @inline(__always)
    private static func two(_ value: Int, _ emit: (UInt8) -> Void) {
        emit(UInt8(truncatingIfNeeded: 48 + value / 10))
        emit(UInt8(truncatingIfNeeded: 48 + value % 10))
    }
}
