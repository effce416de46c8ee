import Testing

@testable import RandomUser

@Suite("Timestamps")
struct RFC3339Tests {
    @Test(
        "milliseconds format as RFC 3339 UTC with milliseconds",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (-363_730_782_335, "1958-06-23T03:40:17.665Z"),
            (1_409_375_984_274, "2014-08-30T05:19:44.274Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ])
    func format(milliseconds: Int64, expected: String) {
        #expect(RFC3339.string(milliseconds: milliseconds) == expected)
        #expect(CivilTime(milliseconds: milliseconds).milliseconds == milliseconds)
    }

    @Test("ages count whole years, only after the anniversary")
    func ages() {
        let reference = CivilTime(year: 2026, month: 6, day: 15)
        #expect(CivilTime(year: 2000, month: 6, day: 15).years(until: reference) == 26)
        #expect(CivilTime(year: 2000, month: 6, day: 16).years(until: reference) == 25)
        #expect(CivilTime(year: 2000, month: 1, day: 1).years(until: reference) == 26)
    }

    @Test("Retry-After reads seconds and the three HTTP date forms")
    func retryAfter() {
        let now = CivilTime(year: 1994, month: 11, day: 6, hour: 8, minute: 49, second: 0).milliseconds
        #expect(RetryAfter.delay("120", nowMilliseconds: now) == .seconds(120))
        #expect(RetryAfter.delay(" 0 ", nowMilliseconds: now) == .zero)
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", nowMilliseconds: now) == .seconds(37))
        #expect(RetryAfter.delay("Sunday, 06-Nov-94 08:49:37 GMT", nowMilliseconds: now) == .seconds(37))
        #expect(RetryAfter.delay("Sun Nov  6 08:49:37 1994", nowMilliseconds: now) == .seconds(37))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:00:00 GMT", nowMilliseconds: now) == .zero)
        #expect(RetryAfter.delay("soon", nowMilliseconds: now) == nil)
        #expect(RetryAfter.delay("-5", nowMilliseconds: now) == nil)
    }
}
