import StreamJSON
import Testing
import UsersContract

@Suite("Dead letters read back: encode, then decode")
struct DeadLetterDecodingTests {
    static func decode(_ bytes: [UInt8]) -> DeadLetter? {
        var parser = JSONParser()
        return bytes.withUnsafeBytes { DeadLetter.decode($0, parser: &parser) }
    }

    static func decode(_ text: String) -> DeadLetter? { decode(Array(text.utf8)) }

    static let letters: [DeadLetter] = [
        DeadLetter(
            reason: .invalidEmail, detail: "email has no dot in its domain", key: "k", topic: "random_users",
            partition: 1, offset: 7, receivedAt: 1_767_225_600_500,
            payload: .json(Array(#"{"a":[1,"é"],"b":null}"#.utf8))),
        DeadLetter(reason: .notJSON, detail: "not JSON", receivedAt: 0, payload: .text("{\"a\": \"b\u{1}\" ü")),
        DeadLetter(reason: .tooLarge, detail: "too large", key: "ключ", receivedAt: -1, payload: .text("")),
        DeadLetter(
            reason: .notAnObject, detail: "a string", partition: 0, offset: 0, receivedAt: 5,
            payload: .json(Array(#""just a string""#.utf8))),
        DeadLetter(
            reason: .missingUserID, detail: "d", topic: "t", receivedAt: 253_402_300_799_999,
            payload: .json(Array("[]".utf8))),
    ]

    @Test("every field comes back, in the stream form", arguments: letters)
    func stream(_ letter: DeadLetter) throws {
        #expect(Self.decode(letter.jsonBytes()) == letter)
    }

    @Test("the batch form comes back without topic, partition and offset", arguments: letters)
    func batch(_ letter: DeadLetter) throws {
        var expected = letter
        expected.topic = nil
        expected.partition = nil
        expected.offset = nil
        #expect(Self.decode(letter.jsonBytes(includeSource: false)) == expected)
    }

    @Test("the replay bytes are the payload object's exact bytes, or the raw text; a JSON string stays JSON")
    func replayBytes() throws {
        let object = try #require(Self.decode(Self.letters[0].jsonBytes()))
        #expect(object.payload.bytes == Array(#"{"a":[1,"é"],"b":null}"#.utf8))
        let text = try #require(Self.decode(Self.letters[1].jsonBytes()))
        #expect(text.payload.bytes == Array("{\"a\": \"b\u{1}\" ü".utf8))
        let string = try #require(Self.decode(Self.letters[3].jsonBytes()))
        #expect(string.payload.bytes == Array(#""just a string""#.utf8))
    }

    @Test("the transformer's own dead letters round-trip", arguments: [
        "not json {", "[1,2]", #"{"login": {"uuid": "nope"}, "email": "a@b.co", "id": {"value": "secret"}}"#,
        #"{"login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", "password": "x"}}"#,
    ])
    func transformer(_ text: String) throws {
        let context = RecordContext(
            topic: "random_users", partition: 3, offset: 42, key: Array("k".utf8), receivedAt: 1_767_225_600_500)
        let letter = try #require(Harness.reject(text, context: context))
        #expect(Self.decode(letter.jsonBytes()) == letter)
    }

    @Test("what is not a dead letter decodes to nil", arguments: [
        "", "[]", "not json", #"{"detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":1}"#,
        #"{"reason":"no_such_reason","detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":1}"#,
        #"{"reason":"not_json","received_at":"1970-01-01T00:00:00.000Z","payload":"x"}"#,
        #"{"reason":"not_json","detail":"d","received_at":"yesterday","payload":"x"}"#,
        #"{"reason":"not_json","detail":"d","received_at":"1970-01-01T00:00:00.000Z"}"#,
        #"{"reason":"not_json","detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":"x","partition":"1"}"#,
        #"{"reason":"not_json","detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":"x","offset":1.5}"#,
        #"{"reason":"not_json","detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":"x","partition":4294967296}"#,
        #"{"reason":"not_json","detail":"d","received_at":"1970-01-01T00:00:00.000Z","payload":"x","key":7}"#,
    ])
    func notALetter(_ text: String) {
        #expect(Self.decode(text) == nil)
    }

    @Test("null optional members count as absent; unknown members are ignored")
    func lenient() throws {
        let letter = try #require(Self.decode(
            #"{"reason":"not_json","detail":"d","topic":null,"key":null,"received_at":"1970-01-01T00:00:00.000Z","payload":"x","extra":[1]}"#))
        #expect(letter == DeadLetter(reason: .notJSON, detail: "d", receivedAt: 0, payload: .text("x")))
    }
}
