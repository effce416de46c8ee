import Foundation
import Testing

@testable import RandomUser

@Suite("Synthetic users")
struct SyntheticUserGeneratorTests {
    static var uuidPattern: Regex<Substring> { /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ }
    static var datePattern: Regex<Substring> { /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/ }

    @Test("the same seed and page give identical bytes; another page or seed gives other users")
    func determinism() {
        let generator = SyntheticUserGenerator(configuration: .init(seed: "alpha"))
        let first = generator.users(page: 3, count: 200)
        let again = SyntheticUserGenerator(configuration: .init(seed: "alpha")).users(page: 3, count: 200)
        #expect(first == again)
        let otherPage = generator.users(page: 4, count: 200)
        let otherSeed = SyntheticUserGenerator(configuration: .init(seed: "beta")).users(page: 3, count: 200)
        #expect(Set(first.map(\.key)).isDisjoint(with: otherPage.map(\.key)))
        #expect(Set(first.map(\.key)).isDisjoint(with: otherSeed.map(\.key)))
        // A shorter page is a prefix of a longer one.
        #expect(Array(first.prefix(50)) == generator.users(page: 3, count: 50))
    }

    @Test("every user is a valid JSON object with every v1.4 field, keyed by its uuid")
    func shape() throws {
        let users = SyntheticUserGenerator(configuration: .init(seed: "shape")).users(page: 1, count: 600)
        for user in users {
            let object = try #require(try foundationJSON(user.value) as? [String: Any])
            #expect(
                Set(object.keys) == [
                    "gender", "name", "location", "email", "login", "dob", "registered", "phone", "cell", "id",
                    "picture", "nat",
                ])
            let name = try #require(object["name"] as? [String: Any])
            #expect(Set(name.keys) == ["title", "first", "last"])
            let location = try #require(object["location"] as? [String: Any])
            #expect(
                Set(location.keys) == [
                    "street", "city", "state", "country", "postcode", "coordinates", "timezone",
                ])
            let street = try #require(location["street"] as? [String: Any])
            #expect(street["number"] is NSNumber && street["name"] is String)
            let coordinates = try #require(location["coordinates"] as? [String: String])
            let latitude = try #require(coordinates["latitude"].flatMap(Double.init))
            let longitude = try #require(coordinates["longitude"].flatMap(Double.init))
            #expect(abs(latitude) <= 90 && abs(longitude) <= 180)
            let timezone = try #require(location["timezone"] as? [String: String])
            #expect(timezone["offset"] != nil && timezone["description"] != nil)
            let login = try #require(object["login"] as? [String: String])
            #expect(Set(login.keys) == ["uuid", "username", "password", "salt", "md5", "sha1", "sha256"])
            let uuid = try #require(login["uuid"])
            #expect(uuid.wholeMatch(of: Self.uuidPattern) != nil)
            #expect(user.key.text == uuid)
            #expect(login["md5"]?.count == 32 && login["sha1"]?.count == 40 && login["sha256"]?.count == 64)
            #expect(login["salt"]?.count == 8)
            for field in ["dob", "registered"] {
                let date = try #require(object[field] as? [String: Any])
                let text = try #require(date["date"] as? String)
                #expect(text.wholeMatch(of: Self.datePattern) != nil)
                #expect((date["age"] as? Int).map { (0...90).contains($0) } == true)
            }
            let email = try #require(object["email"] as? String)
            #expect(email.filter { $0 == "@" }.count == 1 && email.hasSuffix("@example.com"))
            let id = try #require(object["id"] as? [String: Any])
            #expect(id["name"] is String && id.keys.contains("value"))
            let picture = try #require(object["picture"] as? [String: String])
            #expect(picture["large"]?.hasPrefix("https://randomuser.me/api/portraits/") == true)
            #expect(Set(picture.keys) == ["large", "medium", "thumbnail"])
            #expect((object["nat"] as? String)?.count == 2)
            #expect(["male", "female"].contains(object["gender"] as? String ?? ""))
        }
    }

    @Test("postcodes are strings for CA, GB and NO and numbers elsewhere; id.value is null for some nationalities")
    func nationalities() throws {
        let users = SyntheticUserGenerator(configuration: .init(seed: "nat")).users(page: 1, count: 1500)
        var nats = Set<String>()
        var nullIDs = 0
        for user in users {
            let object = try #require(try foundationJSON(user.value) as? [String: Any])
            let nat = try #require(object["nat"] as? String)
            nats.insert(nat)
            // The JSON type as written: a quote starts a string, a digit a number.
            let text = user.value.text
            let marker = try #require(text.range(of: "\"postcode\":"))
            let first = text[marker.upperBound]
            if ["CA", "GB", "NO"].contains(nat) {
                #expect(first == "\"", "postcode of \(nat)")
            } else {
                #expect(first.isNumber, "postcode of \(nat)")
            }
            if (object["id"] as? [String: Any])?["value"] is NSNull { nullIDs += 1 }
        }
        #expect(nats.count == 15)
        // UA, IR, CN and TR: 4 of 15 nationalities.
        #expect(nullIDs > users.count / 6 && nullIDs < users.count / 2)
    }

    @Test("names and e-mail local parts include non-ASCII text in several scripts")
    func nonASCII() {
        let text = SyntheticUserGenerator(configuration: .init(seed: "unicode")).users(page: 1, count: 3000)
            .map(\.value.text).joined(separator: "\n")
        for sample in ["Željko", "Ñúñez", "Åse", "王", "Олександр", "محمد", "\"email\":\"željko."] {
            #expect(text.contains(sample), "\(sample)")
        }
    }

    @Test("with a bad fraction, about that share of records is bad, of every kind", arguments: [0.0, 0.02, 0.3])
    func badFraction(fraction: Double) throws {
        var lines: [UInt8] = []
        SyntheticUserGenerator.generateJSONL(count: 4000, seed: "bad", badFraction: fraction, into: &lines)
        let records = lines.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        #expect(records.count == 4000)
        var kinds: [String: Int] = [:]
        for record in records {
            guard let json = try? foundationJSON(Array(record)) else {
                kinds["not_json", default: 0] += 1
                continue
            }
            guard let object = json as? [String: Any] else {
                kinds["not_an_object", default: 0] += 1
                continue
            }
            let login = object["login"] as? [String: Any]
            if let uuid = login?["uuid"] as? String {
                if uuid.wholeMatch(of: Self.uuidPattern) == nil { kinds["invalid_user_id", default: 0] += 1 }
            } else {
                kinds["missing_user_id", default: 0] += 1
            }
            if let email = object["email"] as? String {
                if !email.contains("@") { kinds["invalid_email", default: 0] += 1 }
            } else {
                kinds["missing_email", default: 0] += 1
            }
        }
        let bad = kinds.values.reduce(0, +)
        let expected = Double(records.count) * fraction
        #expect(abs(Double(bad) - expected) <= max(3 * expected.squareRoot() * 2, 1), "bad: \(bad), kinds: \(kinds)")
        if fraction > 0 { #expect(kinds.count == 6, "\(kinds)") }
    }

    @Test("JSON Lines are one user per line, the same as the page's messages")
    func jsonLines() {
        var lines: [UInt8] = []
        SyntheticUserGenerator.generateJSONL(count: 100, seed: "lines", into: &lines)
        let records = lines.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        let users = SyntheticUserGenerator(configuration: .init(seed: "lines")).users(page: 1, count: 100)
        #expect(records == users.map(\.value))
        #expect(lines.last == UInt8(ascii: "\n"))
    }

    @Test("an envelope parses back into the same messages, with info")
    func envelope() throws {
        let generator = SyntheticUserGenerator(configuration: .init(seed: "env\"elope"))
        let body = generator.envelope(page: 2, count: 30)
        _ = try foundationJSON(body)
        let response = try RandomUserResponse.parse(body)
        #expect(response.results == generator.users(page: 2, count: 30))
        #expect(response.seed == "env\"elope")
        #expect(response.page == 2)
    }

    @Test("the synthetic source names itself 'synthetic' and pages are deterministic")
    func source() async throws {
        let clock = TestClock()
        let source = SyntheticUserSource(configuration: .init(seed: "src"), clock: clock.sourceClock)
        #expect(source.name == "synthetic")
        let page = try await source.fetch(count: 10, page: 7)
        #expect(page.users == source.generator.users(page: 7, count: 10))
        #expect(page.page == 7 && page.seed == "src")
        #expect(page.fetchedAt == 1_767_225_600_000)
        #expect(try await source.fetch(count: 0, page: 1).isEmpty)
        #expect(try await source.fetch(count: 9000, page: 1).users.count == 5000)
    }
}
