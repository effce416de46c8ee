import Testing

@testable import Cron

@Suite("CronExpression: parsing")
struct ParsingTests {
    @Test("a field takes *, numbers, ranges, lists and steps")
    func syntax() throws {
        let parse = { (text: String) throws(FieldError) in try CronFieldKind.minute.parse(text).values }
        #expect(try parse("*") == Array(0...59))
        #expect(try parse("7") == [7])
        #expect(try parse("10-13") == [10, 11, 12, 13])
        #expect(try parse("1,5,59") == [1, 5, 59])
        #expect(try parse("*/15") == [0, 15, 30, 45])
        #expect(try parse("1-10/3") == [1, 4, 7, 10])
        #expect(try parse("50/4") == [50, 54, 58])
        #expect(try parse("0,20-22,*/30") == [0, 20, 21, 22, 30])
        #expect(try parse("*/90") == [0])
        #expect(try CronFieldKind.hour.parse("*/6").values == [0, 6, 12, 18])
        #expect(try CronFieldKind.dayOfMonth.parse("*").values == Array(1...31))
    }

    @Test("month and weekday names in any case, alone, in ranges and lists")
    func names() throws {
        #expect(try CronFieldKind.month.parse("jan,Mar-MAY").values == [1, 3, 4, 5])
        #expect(try CronFieldKind.month.parse("*/3").values == [1, 4, 7, 10])
        #expect(try CronFieldKind.month.parse("DEC").values == [12])
        #expect(try CronFieldKind.dayOfWeek.parse("mon-FRI").values == [1, 2, 3, 4, 5])
        #expect(try CronFieldKind.dayOfWeek.parse("Sun,sat").values == [0, 6])
        #expect(try CronFieldKind.dayOfWeek.parse("MON-SAT/2").values == [1, 3, 5])
    }

    @Test("weekday 7 is Sunday")
    func sundayIsSeven() throws {
        #expect(try CronFieldKind.dayOfWeek.parse("7").values == [0])
        #expect(try CronFieldKind.dayOfWeek.parse("5-7").values == [0, 5, 6])
        #expect(try CronFieldKind.dayOfWeek.parse("*").values == Array(0...6))
        #expect(cron("0 0 * * 7").weekdays == cron("0 0 * * 0").weekdays)
    }

    @Test("a field starting with * is not restricted for the day rule")
    func stars() {
        let expression = cron("*/5 1 */2 * MON")
        #expect(expression.minutes.isStar && !expression.hours.isStar)
        #expect(expression.daysOfMonth.isStar && !expression.weekdays.isStar)
    }

    @Test(
        "macros stand for their expressions",
        arguments: [
            ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
            ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
            ("@hourly", "0 * * * *"), ("  @DAILY ", "0 0 * * *"),
        ])
    func macros(macro: String, expansion: String) {
        let parsed = cron(macro)
        let expanded = cron(expansion)
        #expect(parsed.description == macro.trimmingCharacters(in: .whitespaces).lowercased())
        #expect(parsed.minutes == expanded.minutes && parsed.hours == expanded.hours)
        #expect(parsed.daysOfMonth == expanded.daysOfMonth && parsed.months == expanded.months)
        #expect(parsed.weekdays == expanded.weekdays)
    }

    @Test("the description is the text with single spaces and upper-case names")
    func description() {
        #expect(cron("  0\t12  * *   mon-fri ").description == "0 12 * * MON-FRI")
        #expect(cron("*/15 * * jan *").description == "*/15 * * JAN *")
        #expect(cron("0 12 * * mon-fri") == cron("0 12 * * MON-FRI"))
        #expect(cron("0 12 * * 1-5") != cron("0 12 * * MON-FRI"))
    }

    @Test(
        "each error names the field and the problem on one line",
        arguments: [
            ("61 * * * *", "minute 61 is out of range 0-59"),
            ("* 24 * * *", "hour 24 is out of range 0-23"),
            ("* * 0 * *", "day-of-month 0 is out of range 1-31"),
            ("* * * 13 *", "month 13 is out of range 1-12"),
            ("* * * * 8", "day-of-week 8 is out of range 0-7"),
            ("* * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 3"),
            ("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6"),
            ("", "expected 5 fields (minute hour day-of-month month day-of-week), found 0"),
            (
                "@often",
                "unknown macro @often (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"
            ),
            (
                "@reboot",
                "unknown macro @reboot (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"
            ),
            ("@daily 5", "macro @daily takes no fields, found 1 more"),
            ("*/0 * * * *", "minute step 0 must be at least 1"),
            ("* * 1-31/0 * *", "day-of-month step 0 must be at least 1"),
            ("*/x * * * *", "minute step \"x\" is not a number"),
            ("* 5-1 * * *", "hour range 5-1 is reversed (start above end)"),
            ("* * * * FRI-MON", "day-of-week range FRI-MON is reversed (start above end)"),
            ("* * * FOO *", "month name \"FOO\" is not known (use JAN-DEC or numbers)"),
            ("* * * * funday", "day-of-week name \"funday\" is not known (use SUN-SAT or numbers)"),
            ("x * * * *", "minute \"x\" is not a number"),
            ("-5 * * * *", "minute range \"-5\" is missing an end"),
            ("* * * 3- *", "month range \"3-\" is missing an end"),
            ("1,,2 * * * *", "minute \"1,,2\" has an empty or malformed item \"\""),
            ("1/2/3 * * * *", "minute \"1/2/3\" has an empty or malformed item \"1/2/3\""),
            ("1-2-3 * * * *", "minute range \"1-2-3\" has more than two ends"),
        ])
    func errors(text: String, reason: String) {
        #expect(throws: CronParseError(expression: text, reason: reason)) { try CronExpression(parsing: text) }
        let message = CronParseError(expression: text, reason: reason).description
        #expect(message == "cron expression \"\(text)\": \(reason)")
        #expect(!message.contains("\n"))
    }

    @Test("the error quotes the expression without surrounding whitespace")
    func errorQuotesTrimmedText() {
        #expect(throws: CronParseError(expression: "61 * * * *", reason: "minute 61 is out of range 0-59")) {
            try CronExpression(parsing: "  61 * * * *\n")
        }
        let error = CronParseError(expression: "61 * * * *", reason: "minute 61 is out of range 0-59")
        #expect(error.description == "cron expression \"61 * * * *\": minute 61 is out of range 0-59")
    }
}
