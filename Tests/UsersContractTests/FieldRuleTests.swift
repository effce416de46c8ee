import Testing
import UsersContract

@Suite("Columns: section 2 rules and section 7 items 2, 3, 7, 8, 10, 11")
struct FieldRuleTests {
    private func row(_ fields: String) throws -> UserRow {
        try #require(Harness.row(Harness.user(fields)))
    }

    @Test("names are trimmed and inner runs of Unicode white space fold to one space")
    func names() throws {
        let r = try row(#""name": {"title": " Mr\t ", "first": "  Jean \t\n  Luc ", "last": "van\u2003\u00a0der  Berg"}"#)
        #expect(r.title == "Mr" && r.firstName == "Jean Luc" && r.lastName == "van der Berg")
    }

    @Test("first/last missing or blank → Unknown; title missing → absent", arguments: [
        "", #""name": null"#, #""name": {}"#, #""name": {"first": "  ", "last": null, "title": ""}"#,
        #""name": {"first": 5, "last": true, "title": 3}"#, #""name": "Jetze""#,
    ])
    func nameDefaults(_ fields: String) throws {
        let r = try row(fields)
        #expect(r.firstName == "Unknown" && r.lastName == "Unknown" && r.title == nil)
    }

    @Test("gender maps male/m/man and female/f/woman, case and space insensitive; else unspecified", arguments: [
        ("male", "male"), (" M ", "male"), ("Man", "male"), ("FEMALE", "female"), ("f", "female"), ("Woman", "female"),
        ("other", "unspecified"), ("", "unspecified"), ("males", "unspecified"),
    ])
    func gender(_ input: String, _ expected: String) throws {
        #expect(try row(#""gender": "\#(input)""#).gender == expected)
    }

    @Test("gender of the wrong type or missing → unspecified", arguments: ["", #""gender": 1"#, #""gender": null"#])
    func genderMissing(_ fields: String) throws {
        #expect(try row(fields).gender == "unspecified")
    }

    @Test("username is login.username trimmed; blank or not a string → absent")
    func username() throws {
        #expect(try row(#""login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", "username": " bob "}"#).username == "bob")
        #expect(try row(#""login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", "username": 7}"#).username == nil)
        #expect(try row(#""login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", "username": " "}"#).username == nil)
    }

    @Test("address joins the non-empty parts with \", \"", arguments: [
        (#"{"street": {"number": 12, "name": " Main St "}, "city": "Oslo", "state": "", "country": "Norway"}"#,
         "12 Main St, Oslo, Norway"),
        (#"{"street": "1 High Street", "city": " ", "state": "Kent", "country": null}"#, "1 High Street, Kent"),
        (#"{"street": {"name": "Main"}, "city": "X"}"#, "Main, X"),
        (#"{"street": {"number": "12b"}}"#, "12b"),
        (#"{"street": {"number": 12.0, "name": "A"}}"#, "12 A"),
        (#"{"city": "Oslo"}"#, "Oslo"),
    ])
    func address(_ location: String, _ expected: String) throws {
        #expect(try row(#""location": \#(location)"#).address == expected)
    }

    @Test("no address parts → absent; no empty text columns", arguments: [
        #""location": {}"#, #""location": {"street": {"number": true}, "city": "", "state": "  "}"#, #""location": 5"#,
    ])
    func addressAbsent(_ fields: String) throws {
        let r = try row(fields)
        #expect(r.address == nil && r.city == nil && r.state == nil && r.country == nil && r.postcode == nil)
    }

    @Test("postcode: numbers become decimal text, strings are trimmed (section 7 item 7)", arguments: [
        ("32158", "32158"), ("12345.0", "12345"), ("1.2345e4", "12345"), (#"" EC1A 1BB ""#, "EC1A 1BB"),
        ("0", "0"), ("-0", "0"), ("123.5", "123.5"), ("0.1", "0.1"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("9007199254740993.0", "9007199254740992.0"), ("1e300", "1e+300"), (#""0012""#, "0012"),
    ])
    func postcode(_ json: String, _ expected: String) throws {
        #expect(try row(#""location": {"postcode": \#(json)}"#).postcode == expected)
    }

    @Test("postcode of another type or blank → absent", arguments: ["true", "null", "[]", #""  ""#])
    func postcodeAbsent(_ json: String) throws {
        #expect(try row(#""location": {"postcode": \#(json)}"#).postcode == nil)
    }

    @Test("coordinates from strings or numbers, limits inclusive (section 7 item 8)", arguments: [
        (#""-78.1478""#, #""-175.9694""#, -78.1478, -175.9694), ("90", "-180", 90.0, -180.0),
        (#"" 12. ""#, #"".5""#, 12.0, 0.5), (#""+1e1""#, "1E2", 10.0, 100.0), ("-90.0", "180", -90.0, 180.0),
    ])
    func coordinates(_ lat: String, _ lon: String, _ expectedLat: Double, _ expectedLon: Double) throws {
        let text = Harness.user(#""location": {"coordinates": {"latitude": \#(lat), "longitude": \#(lon)}}"#)
        let r = try #require(Harness.row(text))
        #expect(r.latitude == expectedLat && r.longitude == expectedLon)
        #expect(Harness.violations(text).isEmpty)
    }

    @Test("bad coordinates are absent and each counts one coordinates_invalid", arguments: [
        #""NaN""#, #""Infinity""#, #""0x10""#, "true", "180.0001", #""-180.5""#, #""1,5""#, #"".""#, #""e5""#, "1e400",
        "[]", #""1e""#, #""١٢""#,
    ])
    func badCoordinates(_ value: String) throws {
        let text = Harness.user(#""location": {"coordinates": {"latitude": \#(value), "longitude": \#(value)}}"#)
        let r = try #require(Harness.row(text))
        #expect(r.latitude == nil && r.longitude == nil)
        #expect(Harness.violations(text) == [.coordinatesInvalid: 2])
    }

    @Test("missing coordinates are absent without a violation", arguments: [
        "", #""location": {}"#, #""location": {"coordinates": null}"#,
        #""location": {"coordinates": {"latitude": null, "longitude": "  "}}"#, #""location": {"coordinates": 5}"#,
    ])
    func missingCoordinates(_ fields: String) throws {
        let text = Harness.user(fields)
        let r = try #require(Harness.row(text))
        #expect(r.latitude == nil && r.longitude == nil && Harness.violations(text).isEmpty)
    }

    @Test("age: integer, integral float or integer string in 0–150 (section 7 item 10)", arguments: [
        ("64", 64), ("54.0", 54), (#"" 54 ""#, 54), (#""+7""#, 7), ("0", 0), ("150", 150), ("5.4e1", 54), (#""-0""#, 0),
    ])
    func age(_ json: String, _ expected: Int32) throws {
        #expect(try row(#""dob": {"age": \#(json)}"#).age == expected)
    }

    @Test("a bad age is absent and counts age_invalid", arguments: [
        "54.5", #""54.0""#, "true", "-1", "151", #""abc""#, "99999999999999999999", "[]", #""5 4""#,
    ])
    func badAge(_ json: String) throws {
        let text = Harness.user(#""dob": {"age": \#(json)}"#)
        #expect(Harness.row(text)?.age == nil)
        #expect(Harness.violations(text) == [.ageInvalid: 1])
    }

    @Test("a missing age is absent without a violation", arguments: ["", #""dob": {"age": null}"#, #""dob": {"age": " "}"#])
    func missingAge(_ fields: String) throws {
        let text = Harness.user(fields)
        #expect(Harness.row(text)?.age == nil && Harness.violations(text).isEmpty)
    }

    @Test("phone and cell are trimmed text")
    func phones() throws {
        let r = try row(#""phone": " (49) 7072-4143 ", "cell": 5"#)
        #expect(r.phone == "(49) 7072-4143" && r.cell == nil)
    }

    @Test("nationality: two ASCII letters, upper-cased; else absent (section 7 item 11)", arguments: [
        (#"" nl ""#, "NL"), (#""Br""#, "BR"), (#""NLD""#, nil), (#""N1""#, nil), (#""é1""#, nil), ("5", nil), (#""ÉS""#, nil),
    ] as [(String, String?)])
    func nationality(_ json: String, _ expected: String?) throws {
        #expect(try row(#""nat": \#(json)"#).nationality == expected)
    }

    @Test("picture_url: http(s) URL with an authority and no white space, kept as given", arguments: [
        (#"" https://randomuser.me/x.jpg ""#, "https://randomuser.me/x.jpg"), (#""HTTP://A/B""#, "HTTP://A/B"),
        (#""ftp://a/b""#, nil), (#""https://""#, nil), (#""https:///x""#, nil), (#""https://a b/c""#, nil),
        (#""//a/b""#, nil), (#""httpx://a""#, nil), ("1", nil), (#""https:/a""#, nil),
    ] as [(String, String?)])
    func picture(_ json: String, _ expected: String?) throws {
        #expect(try row(#""picture": {"large": \#(json)}"#).pictureURL == expected)
    }

    @Test("non-ASCII text passes through unchanged anywhere")
    func nonASCII() throws {
        let r = try row(#""name": {"first": "Zoë", "last": "Åström 😀"}, "location": {"city": "Zürich", "street": "Straße 1"}"#)
        #expect(r.firstName == "Zoë" && r.lastName == "Åström 😀" && r.city == "Zürich" && r.address == "Straße 1, Zürich")
    }

    @Test("escaped strings are unescaped before the rules run")
    func escapes() throws {
        let r = try row(#""name": {"first": "J\u00e9r\u00f4me\t\"Jo\"", "last": "\ud83d\ude00"}"#)
        #expect(r.firstName == "Jérôme \"Jo\"" && r.lastName == "😀")
    }

    @Test("duplicate keys: the last one wins")
    func duplicateKeys() throws {
        let r = try row(#""phone": "1", "phone": "2", "email": "last@example.com""#)
        #expect(r.phone == "2" && r.email == "last@example.com")
    }

    @Test("unknown extra fields are ignored")
    func extraFields() throws {
        let r = try row(#""extra": {"deep": [1, {"x": null}]}, "timezone": "x""#)
        #expect(r.userID == "7d73a1f5-d89d-4c14-bb9e-45763f72ca22")
    }

    @Test("fetched_at, processed_at and the Kafka coordinates come from the context; absent in batch mode")
    func provenance() throws {
        let batch = try row("")
        #expect(batch.fetchedAt == nil && batch.sourcePartition == nil && batch.sourceOffset == nil)
        #expect(batch.processedAt == Harness.processedAt)
    }
}
