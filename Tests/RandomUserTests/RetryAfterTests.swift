import StreamJSON
import Testing

@testable import RandomUser

@Suite("Retry-After and ages")
struct RetryAfterTests {
    @Test("ages count whole years, only after the anniversary")
    func ages() {
        let reference = SyntheticUserGenerator.calendar(Timestamp.milliseconds(year: 2026, month: 6, day: 15))
        func age(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64 = 0) -> Int {
            let birth = Timestamp.milliseconds(year: year, month: month, day: day, hour: hour)
            return SyntheticUserGenerator.years(from: SyntheticUserGenerator.calendar(birth), to: reference)
        }
        #expect(age(2000, 6, 15) == 26)
        #expect(age(2000, 6, 15, 1) == 25)
        #expect(age(2000, 6, 16) == 25)
        #expect(age(2000, 1, 1) == 26)
        #expect(age(1960, 2, 29) == 66)
    }

    @Test("Retry-After reads seconds and the three HTTP date forms")
    func retryAfter() {
        let now = Timestamp.milliseconds(year: 1994, month: 11, day: 6, hour: 8, minute: 49, second: 0)
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
