import StreamJSON
import Testing
import UsersContract

@Suite("Dates: section 7 item 9")
struct DateRuleTests {
    @Test("accepted forms parse to UTC milliseconds", arguments: [
        ("1958-06-23T03:40:17.665Z", -363_730_782_335), ("1958-06-23T03:40:17Z", -363_730_783_000),
        ("1958-06-23T05:40:17.665+02:00", -363_730_782_335), ("1958-06-22T22:10:17.665-05:30", -363_730_782_335),
        ("2000-02-29T00:00:00.1Z", 951_782_400_100), ("2000-02-29T00:00:00.12Z", 951_782_400_120),
        ("2000-02-29T00:00:00.123999999Z", 951_782_400_123), ("1970-01-01T00:00:00Z", 0),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000), ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        (" 1970-01-01T00:00:00.000Z\n", 0),
    ] as [(String, Int64)])
    func accepted(_ text: String, _ expected: Int64) {
        #expect(Timestamp.parse(text.trimmingWhiteSpaceForTest()) == expected)
        let row = Harness.row(Harness.user(#""registered": {"date": "\#(text.jsonEscapedForTest())"}"#))
        #expect(row?.registrationDate == expected)
    }

    @Test("rejected forms are absent and count date_invalid", arguments: [
        "1958-06-23", "1958-06-23 03:40:17Z", "1958-06-23t03:40:17Z", "1958-06-23T03:40:17z", "1958-06-23T03:40:17",
        "1958-02-30T00:00:00Z", "1900-02-29T00:00:00Z", "1958-06-23T24:00:00Z", "1958-06-23T03:60:00Z",
        "1958-06-23T03:40:60Z", "1958-06-23T03:40:17.Z", "1958-06-23T03:40:17+0200", "1958-06-23T03:40:17+02",
        "58-06-23T03:40:17Z", "1958-13-01T00:00:00Z", "1958-00-10T00:00:00Z", "0000-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01", "+1958-06-23T03:40:17Z", "1958-06-23T03:40:17.665Zjunk", "",
        "１９５８-06-23T03:40:17Z",
    ])
    func rejected(_ text: String) {
        let fields = #""registered": {"date": "\#(text)"}"#
        let record = Harness.user(fields)
        #expect(Harness.row(record)?.registrationDate == nil)
        #expect(Harness.violations(record) == (text.isEmpty ? [:] : [.dateInvalid: 1]))
    }

    @Test("a date that is not a string counts date_invalid; null or absent is simply absent")
    func wrongType() {
        #expect(Harness.violations(Harness.user(#""dob": {"date": 5}"#)) == [.dateInvalid: 1])
        #expect(Harness.violations(Harness.user(#""dob": {"date": null}, "registered": 5"#)).isEmpty)
    }

    @Test("a date of birth strictly after the run start is absent and counts date_of_birth_in_future")
    func future() {
        let future = Harness.user(#""dob": {"date": "2026-01-01T00:00:00.001Z", "age": 0}"#)
        #expect(Harness.row(future)?.dateOfBirth == nil)
        #expect(Harness.row(future)?.age == 0)
        #expect(Harness.violations(future) == [.dateOfBirthInFuture: 1])
        let now = Harness.user(#""dob": {"date": "2026-01-01T00:00:00.000Z"}"#)
        #expect(Harness.row(now)?.dateOfBirth == Harness.runStartedAt)
        let registered = Harness.user(#""registered": {"date": "2030-01-01T00:00:00Z"}"#)
        #expect(Harness.row(registered)?.registrationDate != nil && Harness.violations(registered).isEmpty)
    }
}

extension String {
    func trimmingWhiteSpaceForTest() -> String {
        let scalars = Array(unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }

    func jsonEscapedForTest() -> String {
        var out = ""
        for c in unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
