import Testing
import UsersContract

@Suite("The message envelope: Kafka headers of random_users")
struct MessageEnvelopeTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("headers are source, fetched_at (RFC 3339 UTC ms) and schema, in this order")
    func headers() {
        let headers = MessageEnvelope.headers(source: "synthetic", fetchedAt: 1_409_375_984_274)
        #expect(headers.map(\.name) == ["source", "fetched_at", "schema"])
        #expect(
            headers.map(\.name)
                == [MessageEnvelope.sourceHeader, MessageEnvelope.fetchedAtHeader, MessageEnvelope.schemaHeader])
        #expect(headers.map { Self.text($0.value) } == ["synthetic", "2014-08-30T05:19:44.274Z", "randomuser/1.4"])
        let api = MessageEnvelope.headers(source: "https://randomuser.me/api/1.4/", fetchedAt: 0)
        #expect(Self.text(api[0].value) == "https://randomuser.me/api/1.4/")
    }

    @Test(
        "fetched_at reads back what the producer wrote, in place",
        arguments: [Int64(0), 1_409_375_984_274, -1, 253_402_300_799_999])
    func roundTrip(_ millis: Int64) throws {
        let headers = MessageEnvelope.headers(source: "s", fetchedAt: millis)
        let value = try #require(headers.first { $0.name == MessageEnvelope.fetchedAtHeader }?.value)
        #expect(value.withUnsafeBytes { MessageEnvelope.fetchedAt(fromHeader: $0) } == millis)
    }

    @Test(
        "fetched_at takes the contract's date forms and nothing else",
        arguments: [
            ("2014-08-30T07:19:44.274+02:00", Int64?(1_409_375_984_274)), ("2014-08-30T05:19:44Z", 1_409_375_984_000),
            ("2014-08-30", nil), ("1409375984274", nil), ("", nil), ("2014-08-30T05:19:44.274z", nil),
        ] as [(String, Int64?)])
    func forms(_ text: String, _ expected: Int64?) {
        #expect(Array(text.utf8).withUnsafeBytes { MessageEnvelope.fetchedAt(fromHeader: $0) } == expected)
    }
}
