import Testing
import StreamJSON
import UsersContract

@Suite("Outputs: row lines, dead letters, de-duplication, stats")
struct OutputTests {
    @Test("a row line leaves absent columns out and keeps JSON types")
    func rowLine() {
        var row = UserRow(userID: "u", email: "a@b.co", processedAt: 0)
        row.latitude = 12.0
        row.longitude = -0.5
        row.age = 30
        row.sourcePartition = 2
        row.sourceOffset = 9_007_199_254_740_993
        row.fetchedAt = -1
        row.city = "Quote \" and \\ and \n"
        let line = String(decoding: RowJSON.encode(row), as: UTF8.self)
        #expect(line == #"{"user_id":"u","first_name":"Unknown","last_name":"Unknown","gender":"unspecified","email":"a@b.co","city":"Quote \" and \\ and \n","latitude":12.0,"longitude":-0.5,"age":30,"fetched_at":"1969-12-31T23:59:59.999Z","processed_at":"1970-01-01T00:00:00.000Z","source_partition":2,"source_offset":9007199254740993}"#)
        var parser = JSONParser()
        let valid = parser.validate(RowJSON.encode(row))
        #expect(valid)
    }

    @Test("a dead letter encodes the section 4 object; the batch form leaves out topic, partition, offset")
    func deadLetterJSON() {
        let letter = DeadLetter(
            reason: .invalidEmail, detail: "email has no dot in its domain", key: "k", topic: "random_users",
            partition: 1, offset: 7, receivedAt: 0, payload: .json(Array(#"{"a":1}"#.utf8)))
        #expect(String(decoding: letter.jsonBytes(), as: UTF8.self) == #"{"reason":"invalid_email","detail":"email has no dot in its domain","topic":"random_users","partition":1,"offset":7,"key":"k","received_at":"1970-01-01T00:00:00.000Z","payload":{"a":1}}"#)
        #expect(String(decoding: letter.jsonBytes(includeSource: false), as: UTF8.self) == #"{"reason":"invalid_email","detail":"email has no dot in its domain","key":"k","received_at":"1970-01-01T00:00:00.000Z","payload":{"a":1}}"#)
        let text = DeadLetter(reason: .notJSON, detail: "d", receivedAt: 0, payload: .text("a\"b\u{1}"))
        #expect(String(decoding: text.jsonBytes(includeSource: false), as: UTF8.self) == #"{"reason":"not_json","detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":"a\"b\u0001"}"#)
    }

    @Test("every reject reason has its contract code")
    func codes() {
        #expect(RejectReason.allCases.map(\.code) == [
            "too_large", "not_json", "not_an_object", "missing_user_id", "invalid_user_id", "missing_email", "invalid_email",
        ])
        #expect(QualityViolation.allCases.map(\.code) == ["coordinates_invalid", "date_invalid", "date_of_birth_in_future", "age_invalid"])
        #expect(RejectReason(code: "not_json") == .notJSON && RejectReason(code: "x") == nil)
    }

    @Test("deduplicate keeps the highest offset per user; equal offsets → the later one; order kept")
    func dedupe() {
        func row(_ id: String, _ offset: Int64?, _ city: String) -> UserRow {
            UserRow(userID: id, email: "a@b.co", city: city, processedAt: 0, sourceOffset: offset)
        }
        let rows = [row("a", 5, "a5"), row("b", 1, "b1"), row("a", 3, "a3"), row("c", 2, "c2a"), row("c", 2, "c2b"), row("b", 4, "b4")]
        #expect(deduplicate(rows).map(\.city) == ["a5", "c2b", "b4"])
        #expect(deduplicate([]).isEmpty)
    }

    @Test("stats merge adds every count")
    func merge() {
        var a = Harness.transform("x").stats
        let b = Harness.transform(Harness.user(#""dob": {"age": 999}"#)).stats
        a.merge(b)
        #expect(a.messages == 2 && a.records == 2 && a.rows == 1 && a.rejects == 1)
        #expect(a.count(of: .notJSON) == 1 && a.count(of: .ageInvalid) == 1)
        #expect(a.rejectsByReason == [.notJSON: 1] && a.violationsByCode == [.ageInvalid: 1])
    }
}
