/// A small deterministic generator of RandomUser-shaped records for tests (not the project's generator).
struct SyntheticUsers {
    /// SplitMix64.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
        mutating func hex(_ count: Int) -> String {
            String((0..<count).map { _ in "0123456789abcdef".randomElement(using: &self)! })
        }
    }

    var random: Random

    init(seed: UInt64) { random = Random(state: seed) }

    /// One generated user and the secret values in it.
    struct User {
        var json: String
        var secrets: [String]
        var uuid: String
    }

    static let firstNames = ["Jetze", "Damas", "Zoë", "Élodie", "Łukasz", "Søren", "Ana", "Mehmet", "Noah", "آرش"]
    static let lastNames = ["Van Otterlo", "Oliveira", "Åström", "Nguyễn", "Smith", "Müller", "Kaya", "Silva"]

    mutating func user(oldShapes: Bool = true) -> User {
        let uuid = "\(random.hex(8))-\(random.hex(4))-4\(random.hex(3))-a\(random.hex(3))-\(random.hex(12))"
        let password = "pw\(random.hex(10))"
        let salt = "salt\(random.hex(8))"
        let md5 = random.hex(32)
        let sha1 = random.hex(40)
        let sha256 = random.hex(64)
        let idValue = "ID\(random.int(100_000_000...999_999_999))X"
        let first = random.pick(Self.firstNames)
        let last = random.pick(Self.lastNames)
        let street =
            oldShapes && random.int(0...3) == 0
            ? #""\#(random.int(1...9999)) Rua Vinte""#
            : #"{"number": \#(random.int(1...9999)), "name": "Harke Sipkesstraat"}"#
        let postcode = random.int(0...2) == 0 ? #""EC\#(random.int(1...9))A 1BB""# : "\(random.int(1000...99999))"
        let date = oldShapes && random.int(0...2) == 0 ? "1962-12-20T21:26:52+02:00" : "1962-12-20T21:26:52.824Z"
        let idJSON = oldShapes && random.int(0...3) == 0
            ? #"{"name": "", "value": null}"# : #"{"name": "BSN", "value": "\#(idValue)"}"#
        let dob = oldShapes && random.int(0...5) == 0 ? "" : #""dob": {"date": "\#(date)", "age": \#(random.int(18...90))},"#
        let json = #"{"gender": "\#(random.pick(["male", "female"]))", "name": {"title": "Mr", "first": "\#(first)", "last": "\#(last)"}, "location": {"street": \#(street), "city": "Berkelland", "state": "Zuid-Holland", "country": "Netherlands", "postcode": \#(postcode), "coordinates": {"latitude": "\#(random.int(-89...89)).4658", "longitude": "-105.0650"}, "timezone": {"offset": "0:00", "description": "Western Europe Time, London, Lisbon, Casablanca"}}, "email": "\#(first.lowercased()).\#(random.hex(4))@example.com", "login": {"uuid": "\#(uuid)", "username": "purplewolf\#(random.int(1...999))", "password": "\#(password)", "salt": "\#(salt)", "md5": "\#(md5)", "sha1": "\#(sha1)", "sha256": "\#(sha256)"}, \#(dob) "registered": {"date": "2010-11-19T16:29:09.864Z", "age": 10}, "phone": "(194)-186-1128", "cell": "(248)-716-4552", "id": \#(idJSON), "picture": {"large": "https://randomuser.me/api/portraits/men/42.jpg", "medium": "https://randomuser.me/api/portraits/med/men/42.jpg", "thumbnail": "https://randomuser.me/api/portraits/thumb/men/42.jpg"}, "nat": "NL"}"#
        var secrets = [password, salt, md5, sha1, sha256]
        if idJSON.contains(idValue) { secrets.append(idValue) }
        return User(json: json, secrets: secrets, uuid: uuid)
    }
}
