import Testing
import StreamJSON

@Suite("Timestamp: the civil-date algorithm and RFC 3339 text")
struct TimestampTests {
    @Test(
        "milliseconds format as RFC 3339 UTC with milliseconds, and parse back",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (-363_730_782_335, "1958-06-23T03:40:17.665Z"),
            (1_409_375_984_274, "2014-08-30T05:19:44.274Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (951_782_400_100, "2000-02-29T00:00:00.100Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ] as [(Int64, String)])
    func format(_ millis: Int64, _ expected: String) {
        #expect(Timestamp.rfc3339(millis) == expected)
        #expect(Timestamp.parse(expected) == millis)
        var out: [UInt8] = Array("x".utf8)
        Timestamp.writeRFC3339(millis, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + expected)
    }

    @Test("years outside 0000–9999 are written with as many digits as they need, and extremes do not trap")
    func wideYears() {
        #expect(Timestamp.rfc3339(Timestamp.maximum + 1) == "10000-01-01T00:00:00.000Z")
        #expect(Timestamp.rfc3339(Timestamp.minimum - 1) == "-1-12-31T23:59:59.999Z")
        for millis in [Int64.min, Int64.max] {
            let count = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Timestamp.maxRFC3339Count) {
                Timestamp.writeRFC3339(millis, to: $0.baseAddress!)
            }
            #expect(count <= Timestamp.maxRFC3339Count)
        }
    }

    @Test("milliseconds split into the day (rounded down) and the millisecond of the day")
    func dayAndTime() {
        #expect(Timestamp.dayAndTime(0) == (0, 0))
        #expect(Timestamp.dayAndTime(-1) == (-1, 86_399_999))
        #expect(Timestamp.dayAndTime(86_400_000) == (1, 0))
        #expect(Timestamp.dayAndTime(Int64.min).millisecond >= 0)
    }

    @Test("calendar fields compose into milliseconds")
    func compose() {
        #expect(Timestamp.milliseconds(year: 1970, month: 1, day: 1) == 0)
        #expect(
            Timestamp.milliseconds(year: 1958, month: 6, day: 23, hour: 3, minute: 40, second: 17, millisecond: 665)
                == -363_730_782_335)
        #expect(
            Timestamp.milliseconds(year: 1994, month: 11, day: 6, hour: 8, minute: 49, second: 37) == 784_111_777_000)
    }

    @Test("days-from-civil agrees with civil-from-days over 0000–9999")
    func civilRoundTrip() {
        var day = Timestamp.daysFromCivil(year: 0, month: 1, day: 1)
        let last = Timestamp.daysFromCivil(year: 9999, month: 12, day: 31)
        var mismatches = 0
        while day <= last {
            let (y, m, d) = Timestamp.civilFromDays(day)
            if Timestamp.daysFromCivil(year: y, month: m, day: d) != day { mismatches += 1 }
            day += 17
        }
        #expect(mismatches == 0)
        #expect(Timestamp.civilFromDays(0) == (1970, 1, 1))
        #expect(Timestamp.civilFromDays(-1) == (1969, 12, 31))
    }

    @Test("the parser takes offsets and fractions, and refuses what the contract refuses")
    func parse() {
        #expect(Timestamp.parse("1958-06-23T05:40:17.665+02:00") == -363_730_782_335)
        #expect(Timestamp.parse("2000-02-29T00:00:00.123999999Z") == 951_782_400_123)
        let refused = ["1958-02-30T00:00:00Z", "1958-06-23T03:40:60Z", "1958-06-23T03:40:17", "0000-01-01T00:00:00+00:01"]
        for text in refused {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
    }
}

@Suite("DecimalDigits: integers as decimal text")
struct DecimalDigitsTests {
    @Test(
        "every Int64 is written exactly, sign included",
        arguments: [Int64.min, Int64.max, 0, -7, 9, 10, 99_999, -1_000_000_007])
    func signed(_ value: Int64) {
        let text = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DecimalDigits.maxCount) { buffer in
            let count = DecimalDigits.write(value, to: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
        #expect(text == String(value))
    }

    @Test("a fixed width pads with zeros and keeps the last digits")
    func width() {
        func text(_ value: UInt64, _ width: Int) -> String {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: width) { buffer in
                DecimalDigits.write(value, width: width, to: buffer.baseAddress!)
                return String(decoding: buffer, as: UTF8.self)
            }
        }
        #expect(text(7, 3) == "007")
        #expect(text(2026, 4) == "2026")
        #expect(text(12_345, 2) == "45")
        #expect(text(0, 1) == "0")
    }
}
