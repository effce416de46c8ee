import Foundation
import Testing
import StreamJSON
import UsersPipeline

@Suite("Older shapes seen in the wild are accepted without configuration (section 1)")
struct OlderShapesTests {
    private func single() throws -> String {
        String(decoding: try Fixtures.randomUser("single-result-2020.json"), as: UTF8.self)
    }

    @Test("location.street as a plain string (v1.2)")
    func streetString() throws {
        var text = try single()
        let start = try #require(text.range(of: "\"street\": {"))
        let end = try #require(text.range(of: "}", range: start.upperBound..<text.endIndex))
        text.replaceSubrange(start.lowerBound..<end.upperBound, with: #""street": " 2290 harke sipkesstraat ""#)
        #expect(!text.contains("\"number\""))
        let (outcomes, _) = Harness.transform(text)
        guard case .row(let row) = try #require(outcomes.first) else {
            Issue.record("expected a row, got \(outcomes)")
            return
        }
        #expect(row.address == "2290 harke sipkesstraat, Berkelland, Zuid-Holland, Netherlands")
    }

    @Test("dates without fractional seconds and with a ±hh:mm offset")
    func dates() throws {
        let text = try single()
            .replacingOccurrences(of: "1962-12-20T21:26:52.824Z", with: "1962-12-20T23:26:52+02:00")
            .replacingOccurrences(of: "2010-11-19T16:29:09.864Z", with: "2010-11-19T16:29:09Z")
        let row = try #require(Harness.row(text))
        #expect(row.dateOfBirth == -221_884_388_000)
        #expect(row.registrationDate == 1_290_184_149_000)
    }

    @Test("postcode as a string")
    func postcodeString() throws {
        let text = try single().replacingOccurrences(of: "\"postcode\": 41470", with: "\"postcode\": \"T2N 1N4\"")
        #expect(Harness.row(text)?.postcode == "T2N 1N4")
    }

    @Test("id.value null, and no registered or dob object")
    func missingObjects() throws {
        var text = try single().replacingOccurrences(of: "\"value\": \"78194620\"", with: "\"value\": null")
        for key in ["\"dob\": {", "\"registered\": {"] {
            let start = try #require(text.range(of: key))
            let end = try #require(text.range(of: "},", range: start.upperBound..<text.endIndex))
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        #expect(!text.contains("\"dob\""))
        let (outcomes, stats) = Harness.transform(text)
        guard case .row(let row) = try #require(outcomes.first) else {
            Issue.record("expected a row")
            return
        }
        #expect(row.dateOfBirth == nil && row.age == nil && row.registrationDate == nil)
        #expect(stats.violations == 0)
    }

    @Test("unknown extra fields and non-ASCII text anywhere")
    func extraAndNonASCII() throws {
        let text = try single()
            .replacingOccurrences(of: "\"nat\": \"NL\"", with: "\"nat\": \"NL\", \"extra\": {\"ä\": [1, 2, {\"b\": null}]}")
            .replacingOccurrences(of: "Jetze", with: "Jétzé 山田")
            .replacingOccurrences(of: "jetze.vanotterlo@example.com", with: "JÉTZÉ.vanotterlo@example.com")
        let row = try #require(Harness.row(text))
        #expect(row.firstName == "Jétzé 山田" && row.email == "jétzé.vanotterlo@example.com")
    }

    @Test("a whole envelope of many users yields one row per element, in order, sharing the context")
    func envelopeOfMany() throws {
        var generator = SyntheticUsers(seed: 7)
        let users = (0..<25).map { _ in generator.user() }
        let text = #"{"results": [\#(users.map(\.json).joined(separator: ","))], "info": {"seed": "x", "results": 25}}"#
        let context = RecordContext(topic: "t", partition: 0, offset: 5, receivedAt: Harness.receivedAt)
        let (outcomes, stats) = Harness.transform(Array(text.utf8), context: context)
        let ids: [String] = outcomes.compactMap {
            if case .row(let row) = $0 { return row.userID }
            return nil
        }
        #expect(ids == users.map(\.uuid))
        #expect(stats.rows == 25 && stats.records == 25 && stats.messages == 1 && stats.envelopes == 1)
    }
}

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
