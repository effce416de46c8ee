import Testing
import StreamJSON
import UsersContract

@Suite("Real RandomUser fixtures")
struct FixtureTests {
    @Test("the v1.4 envelope yields exactly one row with the exact expected values")
    func envelope() throws {
        let (outcomes, stats) = Harness.transform(try Fixtures.randomUser("api-v1.4-envelope-1-user.json"))
        #expect(outcomes.count == 1)
        guard case .row(let row) = try #require(outcomes.first) else {
            Issue.record("expected a row")
            return
        }
        let expected = UserRow(
            userID: "4bbbf423-b3dd-409f-b35b-53957fc1b362", title: "Mr", firstName: "Damas", lastName: "Oliveira",
            gender: "male", email: "damas.oliveira@example.com", username: "goldenpeacock430",
            address: "6972 Rua Vinte E Quatro de Outubro, Cotia, Bahia, Brazil", city: "Cotia", state: "Bahia",
            country: "Brazil", postcode: "32158", latitude: -78.1478, longitude: -175.9694,
            dateOfBirth: -363_730_782_335, age: 64, registrationDate: 1_409_375_984_274, phone: "(49) 7072-4143",
            cell: "(97) 9244-6490", nationality: "BR", pictureURL: "https://randomuser.me/api/portraits/men/37.jpg",
            fetchedAt: nil, processedAt: Harness.processedAt, sourcePartition: nil, sourceOffset: nil)
        #expect(row == expected)
        #expect(stats.envelopes == 1 && stats.records == 1 && stats.rows == 1 && stats.rejects == 0)
        #expect(stats.violations == 0)
    }

    @Test("the single 2020 result yields the exact expected row, with Kafka coordinates from the context")
    func single() throws {
        let context = RecordContext(
            topic: "random_users", partition: 3, offset: 42, key: Array("7d73a1f5-d89d-4c14-bb9e-45763f72ca22".utf8),
            fetchedAt: 1_700_000_000_123, receivedAt: Harness.receivedAt)
        let (outcomes, stats) = Harness.transform(try Fixtures.randomUser("single-result-2020.json"), context: context)
        guard outcomes.count == 1, case .row(let row) = outcomes[0] else {
            Issue.record("expected one row, got \(outcomes)")
            return
        }
        let expected = UserRow(
            userID: "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", title: "Mr", firstName: "Jetze", lastName: "Van Otterlo",
            gender: "male", email: "jetze.vanotterlo@example.com", username: "purplewolf374",
            address: "2290 Harke Sipkesstraat, Berkelland, Zuid-Holland, Netherlands", city: "Berkelland",
            state: "Zuid-Holland", country: "Netherlands", postcode: "41470", latitude: 41.4658, longitude: -105.0650,
            dateOfBirth: -221_884_387_176, age: 58, registrationDate: 1_290_184_149_864, phone: "(194)-186-1128",
            cell: "(248)-716-4552", nationality: "NL", pictureURL: "https://randomuser.me/api/portraits/men/42.jpg",
            fetchedAt: 1_700_000_000_123, processedAt: Harness.processedAt, sourcePartition: 3, sourceOffset: 42)
        #expect(row == expected)
        #expect(stats.envelopes == 0 && stats.records == 1 && stats.rows == 1)
    }

    @Test("the outage page (results: []) yields nothing and no error")
    func outage() throws {
        let (outcomes, stats) = Harness.transform(try Fixtures.randomUser("outage-empty-results.json"))
        #expect(outcomes.isEmpty)
        #expect(stats.emptyEnvelopes == 1 && stats.rejects == 0 && stats.rows == 0 && stats.records == 0)
    }

    @Test("the envelope's row encodes to the section 6 line")
    func envelopeLine() throws {
        let (outcomes, _) = Harness.transform(try Fixtures.randomUser("api-v1.4-envelope-1-user.json"))
        guard case .row(let row) = try #require(outcomes.first) else { return }
        let line = String(decoding: RowJSON.encode(row), as: UTF8.self)
        #expect(line == #"{"user_id":"4bbbf423-b3dd-409f-b35b-53957fc1b362","title":"Mr","first_name":"Damas","last_name":"Oliveira","gender":"male","email":"damas.oliveira@example.com","username":"goldenpeacock430","address":"6972 Rua Vinte E Quatro de Outubro, Cotia, Bahia, Brazil","city":"Cotia","state":"Bahia","country":"Brazil","postcode":"32158","latitude":-78.1478,"longitude":-175.9694,"date_of_birth":"1958-06-23T03:40:17.665Z","age":64,"registration_date":"2014-08-30T05:19:44.274Z","phone":"(49) 7072-4143","cell":"(97) 9244-6490","nationality":"BR","picture_url":"https://randomuser.me/api/portraits/men/37.jpg","processed_at":"2026-01-01T00:00:01.000Z"}"#)
    }
}
