import Testing
import UsersContract

@Suite("Rejects: every reason code and the order of precedence (section 4, section 7 items 1, 4, 5, 6)")
struct RejectTests {
    static let validUUID = "7d73a1f5-d89d-4c14-bb9e-45763f72ca22"

    @Test("a message over the limit is too_large and is not parsed")
    func tooLarge() throws {
        let text = Harness.user(#""pad": "\#(String(repeating: "x", count: 300))""#)
        let (outcomes, stats) = Harness.transform(Array(text.utf8), maxMessageBytes: 100)
        guard outcomes.count == 1, case .reject(let letter) = outcomes[0] else {
            Issue.record("expected one reject")
            return
        }
        #expect(letter.reason == .tooLarge)
        #expect(stats.count(of: .tooLarge) == 1)
        guard case .text = letter.payload else {
            Issue.record("a too_large payload is raw text")
            return
        }
    }

    @Test("a message exactly at the limit is parsed")
    func atLimit() {
        let text = Harness.user()
        let (outcomes, _) = Harness.transform(Array(text.utf8), maxMessageBytes: text.utf8.count)
        guard case .row = outcomes.first else {
            Issue.record("expected a row")
            return
        }
    }

    @Test(
        "text that is not JSON is not_json",
        arguments: [
            "", "   ", "hello", "{", #"{"a": 1"#, "{'a': 1}", #"{"a": NaN}"#, #"{"a": Infinity}"#,
            "\u{FEFF}{}", #"{"a": "\uD800"}"#, #"{"a": "\uD800\u0041"}"#, #"{"a": 01}"#, "{} x", #"{"a": [1,]}"#,
            String(repeating: "[", count: 1025) + String(repeating: "]", count: 1025),
        ])
    func notJSON(_ text: String) throws {
        let letter = try #require(Harness.reject(text))
        #expect(letter.reason == .notJSON)
    }

    @Test("invalid UTF-8 is not_json", arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]])
    func invalidUTF8(_ bad: [UInt8]) throws {
        let bytes = Array(#"{"email": ""#.utf8) + bad + Array(#""}"#.utf8)
        let letter = try #require(Harness.reject(bytes))
        #expect(letter.reason == .notJSON)
    }

    @Test("1,024 levels of nesting are JSON (the record then misses its user id)")
    func depthLimit() throws {
        let nested = String(repeating: "[", count: 1023) + String(repeating: "]", count: 1023)
        let letter = try #require(Harness.reject(#"{"a": \#(nested)}"#))
        #expect(letter.reason == .missingUserID)
    }

    @Test("JSON that is not an object is not_an_object", arguments: ["[]", "[1, 2]", "\"text\"", "42", "true", "null"])
    func notAnObject(_ text: String) throws {
        let letter = try #require(Harness.reject(text))
        #expect(letter.reason == .notAnObject)
        #expect(letter.payloadText == text.filter { $0 != " " })
    }

    @Test(
        "login.uuid missing → missing_user_id",
        arguments: [
            #"{"email": "a@b.co"}"#, #"{"login": null, "email": "a@b.co"}"#, #"{"login": "x", "email": "a@b.co"}"#,
            #"{"login": {}, "email": "a@b.co"}"#, #"{"login": {"uuid": null}, "email": "a@b.co"}"#,
            #"{"login": {"uuid": "  \t "}, "email": "a@b.co"}"#, #"{"error": "Uh oh, something has gone wrong"}"#,
            #"{"login": [1], "email": "a@b.co"}"#,
        ])
    func missingUserID(_ text: String) throws {
        let letter = try #require(Harness.reject(text))
        #expect(letter.reason == .missingUserID)
    }

    @Test(
        "login.uuid malformed or of the wrong type → invalid_user_id",
        arguments: [
            "123", "true", "[]", "{}", #""7d73a1f5d89d4c14bb9e45763f72ca22""#, #""{7d73a1f5-d89d-4c14-bb9e-45763f72ca22}""#,
            #""urn:uuid:7d73a1f5-d89d-4c14-bb9e-45763f72ca22""#, #""7d73a1f5-d89d-4c14-bb9e-45763f72ca2g""#,
            #""7d73a1f5-d89d-4c14-bb9e-45763f72ca2""#, #""7d73a1f5-d89d-4c14-bb9e-45763f72ca222""#,
            #""７d73a1f5-d89d-4c14-bb9e-45763f72ca22""#,
        ])
    func invalidUserID(_ uuid: String) throws {
        let letter = try #require(Harness.reject(#"{"login": {"uuid": \#(uuid)}, "email": "a@b.co"}"#))
        #expect(letter.reason == .invalidUserID)
    }

    @Test("a UUID is trimmed and lower-cased")
    func uuidNormalised() throws {
        let row = try #require(Harness.row(#"{"login": {"uuid": " \u00a07D73A1F5-D89D-4C14-BB9E-45763F72CA22\n"}, "email": "a@b.co"}"#))
        #expect(row.userID == Self.validUUID)
    }

    @Test(
        "email missing → missing_email",
        arguments: ["", #", "email": null"#, #", "email": "   ""#, #", "email": "\u2003""#])
    func missingEmail(_ email: String) throws {
        let letter = try #require(Harness.reject(#"{"login": {"uuid": "\#(Self.validUUID)"}\#(email)}"#))
        #expect(letter.reason == .missingEmail)
    }

    @Test(
        "email malformed or of the wrong type → invalid_email",
        arguments: [
            "123", "true", "{}", "[]", #""plainaddress""#, #""a@@b.co""#, #""a@b@c.co""#, #""@example.com""#,
            #""a@localhost""#, #""a b@example.com""#, #""a@exa mple.com""#, #""a\u00a0b@example.com""#,
            "\"\(String(repeating: "a", count: 243))@example.com\"",
        ])
    func invalidEmail(_ email: String) throws {
        let letter = try #require(Harness.reject(#"{"login": {"uuid": "\#(Self.validUUID)"}, "email": \#(email)}"#))
        #expect(letter.reason == .invalidEmail)
    }

    @Test("email is trimmed, lower-cased (Unicode), non-ASCII allowed, 254 bytes allowed")
    func emailAccepted() throws {
        let row = try #require(Harness.row(#"{"login": {"uuid": "\#(Self.validUUID)"}, "email": "  ÉLODIE.Ünal@Example.COM "}"#))
        #expect(row.email == "élodie.ünal@example.com")
        let long = String(repeating: "a", count: 242) + "@example.com"
        #expect(long.utf8.count == 254)
        #expect(Harness.row(#"{"login": {"uuid": "\#(Self.validUUID)"}, "email": "\#(long)"}"#)?.email == long)
    }

    @Test("the 254-byte limit counts UTF-8 bytes after lower-casing")
    func emailByteLimit() throws {
        let local = String(repeating: "é", count: 121)  // 242 bytes
        let email = local + "@example.com"  // 254 bytes
        #expect(Harness.row(#"{"login": {"uuid": "\#(Self.validUUID)"}, "email": "\#(email.uppercased())"}"#) != nil)
        let tooLong = local + "a@example.com"
        #expect(Harness.reject(#"{"login": {"uuid": "\#(Self.validUUID)"}, "email": "\#(tooLong)"}"#)?.reason == .invalidEmail)
    }

    @Test("the first failing rule wins: user id before email")
    func precedence() throws {
        #expect(Harness.reject(#"{"email": 5}"#)?.reason == .missingUserID)
        #expect(Harness.reject(#"{"login": {"uuid": "x"}}"#)?.reason == .invalidUserID)
        let (outcomes, stats) = Harness.transform(#"{"login": {"uuid": 1}, "email": 2}"#)
        #expect(outcomes.count == 1 && stats.rejects == 1 && stats.count(of: .invalidUserID) == 1)
    }

    @Test("an envelope element that is not an object → not_an_object; the others still transform")
    func envelopeElements() {
        let (outcomes, stats) = Harness.transform(#"{"results": [\#(Harness.user()), 5, "x", {"email": "a@b.co"}], "info": {}}"#)
        #expect(outcomes.count == 4)
        #expect(stats.rows == 1 && stats.count(of: .notAnObject) == 2 && stats.count(of: .missingUserID) == 1)
        #expect(stats.records == 4 && stats.envelopes == 1)
    }

    @Test("an object with results and a login key is a record, not an envelope")
    func notAnEnvelope() {
        let (outcomes, stats) = Harness.transform(#"{"results": [1], "login": {"uuid": "\#(Self.validUUID)"}, "email": "a@b.co"}"#)
        #expect(outcomes.count == 1 && stats.rows == 1 && stats.envelopes == 0)
        let (_, other) = Harness.transform(#"{"results": "not an array"}"#)
        #expect(other.count(of: .missingUserID) == 1)
    }

    @Test("envelopes are not recursive: a nested envelope is a record without a user id")
    func noRecursion() {
        let (_, stats) = Harness.transform(#"{"results": [{"results": [\#(Harness.user())]}]}"#)
        #expect(stats.rows == 0 && stats.count(of: .missingUserID) == 1)
    }

    @Test("a dead letter keeps the context's topic, partition, offset, key and received_at")
    func deadLetterContext() throws {
        let context = RecordContext(
            topic: "random_users", partition: 1, offset: 9, key: Array("k-1".utf8), receivedAt: Harness.receivedAt)
        let letter = try #require(Harness.reject("oops", context: context))
        #expect(letter.topic == "random_users" && letter.partition == 1 && letter.offset == 9)
        #expect(letter.key == "k-1" && letter.receivedAt == Harness.receivedAt)
    }

    @Test("in batch mode the key is login.uuid exactly as in the input, when it is a string")
    func batchKey() throws {
        #expect(Harness.reject(#"{"login": {"uuid": " NOT-A-UUID "}, "email": "a@b.co"}"#)?.key == " NOT-A-UUID ")
        #expect(Harness.reject(#"{"login": {"uuid": 5}, "email": "a@b.co"}"#)?.key == nil)
        #expect(Harness.reject(#"{"login": {"uuid": "\#(Self.validUUID)"}}"#)?.key == Self.validUUID)
        #expect(Harness.reject("not json")?.key == nil)
    }
}
