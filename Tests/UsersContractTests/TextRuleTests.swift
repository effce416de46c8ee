import Testing
import UsersContract

@Suite("Text rules: Unicode White_Space, default case mapping, precedence (section 7 items 2, 4, 14)")
struct TextRuleTests {
    private func row(_ fields: String) throws -> UserRow {
        try #require(Harness.row(Harness.user(fields)))
    }

    @Test("trimming strips every White_Space scalar and nothing else", arguments: [
        (#""\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\t\n\u000b\f\r Oslo \u3000""#, "Oslo"),
        (#""\u200bOslo\u200b""#, "\u{200B}Oslo\u{200B}"),  // ZERO WIDTH SPACE is not White_Space
        (#""\ufeffOslo""#, "\u{FEFF}Oslo"),  // nor is ZERO WIDTH NO-BREAK SPACE
    ])
    func trimming(_ json: String, _ expected: String) throws {
        #expect(try row(#""location": {"city": \#(json)}"#).city == expected)
    }

    @Test("only title, first_name and last_name fold inner runs")
    func foldingOnlyNames() throws {
        let r = try row(#""name": {"first": "a \u3000 b"}, "location": {"city": "Den  Haag"}, "phone": "1  2""#)
        #expect(r.firstName == "a b" && r.city == "Den  Haag" && r.phone == "1  2")
    }

    @Test("case mapping is Unicode's default mapping")
    func caseMapping() throws {
        let r = try row(#""email": "ÀÉÎ.İSTANBUL.ΣΑΣ@EXAMPLE.COM""#)
        #expect(r.email == "àéî.i̇stanbul.σασ@example.com")
        #expect(try row(#""gender": " FEMALE\u00a0""#).gender == "female")
    }

    @Test("lower-casing agrees with String.lowercased() on mixed text (fast and slow paths)", arguments: [
        "Jétzé.VanOtterlo@Example.COM", "ayşe.korol@example.com", "NOAH.MØLLER@EXAMPLE.COM", "ǅ@x.y", "ΣΑΣ@x.gr",
        "İi@x.tr", "straße@EXAMPLE.de", "😀Smile@x.io", "ÀB@c.d",
    ])
    func lowercasing(_ email: String) throws {
        #expect(try row(#""email": "\#(email)""#).email == email.lowercased())
    }

    @Test("too_large wins over not_json, not_json over everything else")
    func precedence() {
        let (outcomes, stats) = Harness.transform(Array("not json at all".utf8), maxMessageBytes: 4)
        #expect(outcomes.count == 1 && stats.count(of: .tooLarge) == 1 && stats.count(of: .notJSON) == 0)
        #expect(Harness.reject(#"{"login": 1, "email": 2"#)?.reason == .notJSON)
    }

    @Test("big integers stay exact; duplicate keys: the last wins, also inside nested objects")
    func jsonFinePrint() throws {
        let r = try row(#""location": {"postcode": 1, "postcode": 98765432109876543210987654321}"#)
        #expect(r.postcode == "98765432109876543210987654321")
        let nested = Harness.row(#"{"login": {"uuid": "x", "uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22"}, "email": "a@b.co"}"#)
        #expect(nested?.userID == "7d73a1f5-d89d-4c14-bb9e-45763f72ca22")
        #expect(Harness.reject(#"{"login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", "uuid": null}, "email": "a@b.co"}"#)?.reason == .missingUserID)
    }

    @Test("a detail string never quotes the record's values")
    func detailsQuoteNothing() {
        let inputs = [
            #"{"login": {"uuid": "SECRETVALUE"}, "email": "a@b.co"}"#,
            #"{"login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22"}, "email": "SECRETVALUE"}"#,
            #"{"login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22"}, "email": "SECRETVALUE@x"}"#,
            #"{"SECRETVALUE": "#, "[\"SECRETVALUE\"]",
        ]
        for input in inputs {
            let letter = Harness.reject(input)
            #expect(letter != nil)
            #expect(letter?.detail.contains("SECRETVALUE") == false)
        }
    }
}
