import Foundation
import Testing
import StreamJSON
import UsersContract

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
