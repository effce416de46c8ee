/// The generator's data, flattened for speed: every string lives once in one byte pool and is referred to by
/// offset and length, so writing a field is one memory copy.
struct SyntheticTables: Sendable {
    /// A string in the pool.
    struct Text: Sendable {
        var offset: Int32
        var length: Int32
    }

    /// A name as shown and as used in an e-mail local part (lower-cased, spaces and apostrophes removed).
    struct Name: Sendable {
        var display: Text
        var email: Text
    }

    /// One nationality, flattened.
    struct Profile: Sendable {
        var nat: Text
        var country: Text
        var male: [Name]
        var female: [Name]
        var last: [Name]
        var streets: [Text]
        var cities: [Text]
        var states: [Text]
        /// Digits of a numeric postcode, or 0 when ``postcodePattern`` is used.
        var postcodeDigits: Int
        var postcodePattern: Text
        var phone: Text
        var cell: Text
        var idName: Text
        var idPattern: Text?
    }

    /// Longest pooled string, in bytes; bounds the size of one user.
    static let maxTextLength = 128

    var pool: [UInt8] = []
    var profiles: [Profile] = []
    var timezoneOffsets: [Text] = []
    var timezoneDescriptions: [Text] = []
    var adjectives: [Text] = []
    var animals: [Text] = []
    var passwords: [Text] = []

    /// The tables for every known nationality.
    static let shared = SyntheticTables(nationalities: SyntheticNationality.all)

    /// Builds the tables for some nationalities.
    init(nationalities: [SyntheticNationality]) {
        for nationality in nationalities {
            var postcodeDigits = 0
            var postcodePattern = Text(offset: 0, length: 0)
            switch nationality.postcode {
            case .number(let digits): postcodeDigits = digits
            case .string(let pattern): postcodePattern = self.add(pattern)
            }
            let profile = Profile(
                nat: self.add(nationality.code),
                country: self.add(nationality.country),
                male: nationality.maleFirst.map { self.addName($0) },
                female: nationality.femaleFirst.map { self.addName($0) },
                last: nationality.last.map { self.addName($0) },
                streets: nationality.streets.map { self.add($0) },
                cities: nationality.places.map { self.add($0.0) },
                states: nationality.places.map { self.add($0.1) },
                postcodeDigits: postcodeDigits,
                postcodePattern: postcodePattern,
                phone: self.add(nationality.phone),
                cell: self.add(nationality.cell),
                idName: self.add(nationality.idName),
                idPattern: nationality.idPattern.map { self.add($0) }
            )
            self.profiles.append(profile)
        }
        self.timezoneOffsets = SyntheticNationality.timezones.map { self.add($0.0) }
        self.timezoneDescriptions = SyntheticNationality.timezones.map { self.add($0.1) }
        self.adjectives = SyntheticNationality.adjectives.map { self.add($0) }
        self.animals = SyntheticNationality.animals.map { self.add($0) }
        self.passwords = SyntheticNationality.passwords.map { self.add($0) }
    }

    private mutating func add(_ text: String) -> Text {
        let bytes = Array(text.utf8)
        precondition(bytes.count <= Self.maxTextLength, "synthetic table entry too long")
        precondition(!bytes.contains(UInt8(ascii: "\"")) && !bytes.contains(UInt8(ascii: "\\")))
        let text = Text(offset: Int32(self.pool.count), length: Int32(bytes.count))
        self.pool.append(contentsOf: bytes)
        return text
    }

    private mutating func addName(_ name: String) -> Name {
        let email = String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "'" })
        return Name(display: self.add(name), email: self.add(email))
    }
}
