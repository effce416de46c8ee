import StreamJSON

/// Writes RandomUser v1.4-shaped users as compact JSON, fast and reproducibly.
///
/// User `i` of page `p` depends only on the seed, `p` and `i` (SplitMix64 seeded from the three), so the same
/// seed and page always give the same bytes, and a shorter page is a prefix of a longer one. The output has the
/// fields and nesting of the real API (see the fixtures) for 15 nationalities, with non-ASCII names and e-mail local
/// parts, string postcodes for CA, GB and NO, `id.value` null for UA, IR, CN and TR, and random hex where the API has
/// hashes (they are not real hashes of the passwords). A configurable fraction of records is made bad on purpose.
///
/// Bytes are written with raw memory copies into a reusable buffer: no `String` work and no Foundation per user.
public struct SyntheticUserGenerator: Sendable {
    /// The generator's settings.
    public struct Configuration: Sendable {
        /// The seed text; any string. Default: `"userstream"`.
        public var seed: String = "userstream"
        /// The fraction of bad records, 0...1: not JSON, no `login.uuid`, a malformed uuid, no e-mail, a malformed
        /// e-mail, or not an object, in equal shares. Default: 0 (the benchmarks use 0.02).
        public var badFraction: Double = 0
        /// Whether bad records may be text that is not JSON. Turn it off when users are embedded in one JSON
        /// document (the fake server's envelope): those records then become non-objects. Default: true.
        public var allowsNotJSON: Bool = true
        /// The moment ages are computed against, UTC milliseconds (fixed, so output does not change with the day).
        /// Default: 2026-01-01T00:00:00Z.
        public var referenceTime: Int64 = 1_767_225_600_000
        /// Nationalities to draw from (two-letter codes, any case): US, GB, CA, NO, BR, NL, DE, FR, ES, RS, UA, IR,
        /// CN, IN, TR. Unknown codes are ignored; empty (or nothing known) means all 15. Default: empty.
        public var nationalities: [String] = []

        /// Creates settings.
        ///
        /// - Parameters:
        ///   - seed: The seed text. Default: `"userstream"`.
        ///   - badFraction: The fraction of bad records. Default: 0.
        public init(seed: String = "userstream", badFraction: Double = 0) {
            self.seed = seed
            self.badFraction = badFraction
        }
    }

    /// The kinds of bad record, in the order the generator picks them.
    enum BadKind: Int, CaseIterable {
        case notJSON, missingUUID, invalidUUID, missingEmail, invalidEmail, notAnObject
    }

    /// The settings the generator was made with.
    public let configuration: Configuration
    let tables: SyntheticTables
    private let seedHash: UInt64
    private let badThreshold: UInt64
    /// ``Configuration/referenceTime`` as its calendar day and millisecond of the day, for ages.
    private let reference: (year: Int64, month: Int64, day: Int64, millisecond: Int64)
    private let dobRange: (Int64, Int64)
    private let registeredRange: (Int64, Int64)

    /// The largest number of bytes one user can take (a bound, used to reserve room before writing one).
    static let maxUserBytes = 64 * SyntheticTables.maxTextLength + 1024

    /// Creates a generator.
    ///
    /// - Parameter configuration: Seed, bad fraction and options.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let wanted = Set(configuration.nationalities.map { $0.uppercased() })
        let chosen = SyntheticNationality.all.filter { wanted.isEmpty || wanted.contains($0.code) }
        self.tables = wanted.isEmpty || chosen.isEmpty ? .shared : SyntheticTables(nationalities: chosen)
        self.seedHash = SplitMix64.seed(from: configuration.seed)
        let fraction = configuration.badFraction.isNaN ? 0 : min(max(configuration.badFraction, 0), 1)
        self.badThreshold = fraction >= 1 ? .max : UInt64(fraction * 18_446_744_073_709_551_616.0)
        self.reference = Self.calendar(configuration.referenceTime)
        self.dobRange = (
            Timestamp.milliseconds(year: 1940, month: 1, day: 1), Timestamp.milliseconds(year: 2006, month: 1, day: 1)
        )
        self.registeredRange = (
            Timestamp.milliseconds(year: 2002, month: 1, day: 1), Timestamp.milliseconds(year: 2023, month: 1, day: 1)
        )
    }

    /// The random generator of user `index` on `page`.
    @inline(__always)
    func rng(page: Int, index: Int) -> SplitMix64 {
        let position = UInt64(truncatingIfNeeded: page) << 32 ^ UInt64(truncatingIfNeeded: index)
        return SplitMix64(state: SplitMix64.mix(self.seedHash ^ SplitMix64.mix(position ^ 0x5EED_5EED_5EED_5EED)))
    }

    /// Runs `body` with a fresh writer and the pooled strings; frees the writer afterwards.
    func withWriter<R>(capacity: Int, _ body: (inout ByteWriter, UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        var writer = ByteWriter(capacity: capacity)
        defer { writer.deallocate() }
        return try self.tables.pool.withUnsafeBufferPointer { pool in
            // The pool is never empty (it holds every nationality's strings).
            try body(&writer, pool.baseAddress ?? UnsafePointer(writer.base))
        }
    }

    /// Writes user `index` of `page` at the end of `out`.
    ///
    /// - Returns: The range of the `login.uuid` string's bytes in `out` (the message key), or nil when there is none.
    @inline(__always)
    func writeUser(page: Int, index: Int, into out: inout ByteWriter, pool: UnsafePointer<UInt8>) -> Range<Int>? {
        var rng = self.rng(page: page, index: index)
        out.reserve(Self.maxUserBytes)
        var bad: BadKind?
        if self.badThreshold > 0, rng.next() < self.badThreshold {
            bad = BadKind(rawValue: rng.below(BadKind.allCases.count))
            if bad == .notJSON, !self.configuration.allowsNotJSON { bad = .notAnObject }
        }
        switch bad {
        case .notAnObject:
            switch rng.below(4) {
            case 0: out.write("[1,2,3]")
            case 1: out.write("\"just a string\"")
            case 2: out.write("42")
            default: out.write("null")
            }
            return nil
        case .notJSON:
            let start = out.count
            _ = self.writeObject(&rng, bad: nil, into: &out, pool: pool)
            var cut = start + (out.count - start) / 2
            while cut > start, out.base[cut] >= 0x80 { cut -= 1 }
            out.count = cut
            return nil
        default:
            return self.writeObject(&rng, bad: bad, into: &out, pool: pool)
        }
    }

    // swiftlint:disable:next function_body_length
    @inline(__always)
    private func writeObject(
        _ rng: inout SplitMix64, bad: BadKind?, into out: inout ByteWriter, pool: UnsafePointer<UInt8>
    ) -> Range<Int>? {
        let tables = self.tables
        let profile = tables.profiles[rng.below(tables.profiles.count)]
        let random = rng.next()
        let male = random & 1 == 0
        let first = male ? profile.male[rng.below(profile.male.count)] : profile.female[rng.below(profile.female.count)]
        let last = profile.last[rng.below(profile.last.count)]

        out.write(male ? "{\"gender\":\"male\",\"name\":{\"title\":\"" : "{\"gender\":\"female\",\"name\":{\"title\":\"")
        if male {
            out.write("Mr")
        } else {
            switch (random >> 1) % 3 {
            case 0: out.write("Ms")
            case 1: out.write("Mrs")
            default: out.write("Miss")
            }
        }
        out.write("\",\"first\":\"")
        Self.text(first.display, &out, pool)
        out.write("\",\"last\":\"")
        Self.text(last.display, &out, pool)
        out.write("\"},\"location\":{\"street\":{\"number\":")
        out.decimal(1 + rng.below(9999))
        out.write(",\"name\":\"")
        Self.text(profile.streets[rng.below(profile.streets.count)], &out, pool)
        let place = rng.below(profile.cities.count)
        out.write("\"},\"city\":\"")
        Self.text(profile.cities[place], &out, pool)
        out.write("\",\"state\":\"")
        Self.text(profile.states[place], &out, pool)
        out.write("\",\"country\":\"")
        Self.text(profile.country, &out, pool)
        out.write("\",\"postcode\":")
        if profile.postcodeDigits > 0 {
            var low = 1
            for _ in 1..<profile.postcodeDigits { low *= 10 }
            out.decimal(low + rng.below(9 * low))
        } else {
            out.byte(UInt8(ascii: "\""))
            Self.pattern(profile.postcodePattern, &out, pool, &rng)
            out.byte(UInt8(ascii: "\""))
        }
        out.write(",\"coordinates\":{\"latitude\":\"")
        Self.coordinate(rng.below(1_800_001) - 900_000, &out)
        out.write("\",\"longitude\":\"")
        Self.coordinate(rng.below(3_600_001) - 1_800_000, &out)
        let zone = rng.below(tables.timezoneOffsets.count)
        out.write("\"},\"timezone\":{\"offset\":\"")
        Self.text(tables.timezoneOffsets[zone], &out, pool)
        out.write("\",\"description\":\"")
        Self.text(tables.timezoneDescriptions[zone], &out, pool)
        out.write("\"}},")
        if bad != .missingEmail {
            out.write("\"email\":\"")
            Self.text(first.email, &out, pool)
            out.byte(UInt8(ascii: "."))
            Self.text(last.email, &out, pool)
            if bad == .invalidEmail {
                out.write(".example.com\",")
            } else {
                out.write("@example.com\",")
            }
        }
        out.write("\"login\":{")
        var key: Range<Int>?
        if bad != .missingUUID {
            out.write("\"uuid\":\"")
            let start = out.count
            Self.uuid(&rng, &out)
            if bad == .invalidUUID { out.base[start] = UInt8(ascii: "x") }
            key = start..<out.count
            out.write("\",")
        }
        out.write("\"username\":\"")
        Self.text(tables.adjectives[rng.below(tables.adjectives.count)], &out, pool)
        Self.text(tables.animals[rng.below(tables.animals.count)], &out, pool)
        out.decimal(rng.below(1000))
        out.write("\",\"password\":\"")
        Self.text(tables.passwords[rng.below(tables.passwords.count)], &out, pool)
        out.write("\",\"salt\":\"")
        Self.salt(&rng, &out)
        out.write("\",\"md5\":\"")
        Self.hex(&rng, nibbles: 32, &out)
        out.write("\",\"sha1\":\"")
        Self.hex(&rng, nibbles: 40, &out)
        out.write("\",\"sha256\":\"")
        Self.hex(&rng, nibbles: 64, &out)
        out.write("\"},\"dob\":{\"date\":\"")
        self.date(in: self.dobRange, &rng, &out)
        out.write("},\"registered\":{\"date\":\"")
        self.date(in: self.registeredRange, &rng, &out)
        out.write("},\"phone\":\"")
        Self.pattern(profile.phone, &out, pool, &rng)
        out.write("\",\"cell\":\"")
        Self.pattern(profile.cell, &out, pool, &rng)
        out.write("\",\"id\":{\"name\":\"")
        Self.text(profile.idName, &out, pool)
        if let idPattern = profile.idPattern {
            out.write("\",\"value\":\"")
            Self.pattern(idPattern, &out, pool, &rng)
            out.write("\"},\"picture\":{\"large\":\"https://randomuser.me/api/portraits/")
        } else {
            out.write("\",\"value\":null},\"picture\":{\"large\":\"https://randomuser.me/api/portraits/")
        }
        let picture = rng.below(100)
        out.write(male ? "men/" : "women/")
        out.decimal(picture)
        out.write(".jpg\",\"medium\":\"https://randomuser.me/api/portraits/med/")
        out.write(male ? "men/" : "women/")
        out.decimal(picture)
        out.write(".jpg\",\"thumbnail\":\"https://randomuser.me/api/portraits/thumb/")
        out.write(male ? "men/" : "women/")
        out.decimal(picture)
        out.write(".jpg\"},\"nat\":\"")
        Self.text(profile.nat, &out, pool)
        out.write("\"}")
        return key
    }

    @inline(__always)
    private static func text(_ text: SyntheticTables.Text, _ out: inout ByteWriter, _ pool: UnsafePointer<UInt8>) {
        out.write(pool + Int(text.offset), Int(text.length))
    }

    /// Copies a pattern, replacing `#` by a random digit and `L` by a random upper-case letter.
    @inline(__always)
    private static func pattern(
        _ text: SyntheticTables.Text, _ out: inout ByteWriter, _ pool: UnsafePointer<UInt8>, _ rng: inout SplitMix64
    ) {
        var bits = rng.next()
        var room = UInt64.max
        let start = pool + Int(text.offset)
        for offset in 0..<Int(text.length) {
            let byte = start[offset]
            if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "L") {
                if room < 26 {
                    bits = rng.next()
                    room = .max
                }
                if byte == UInt8(ascii: "#") {
                    out.byte(UInt8(truncatingIfNeeded: 48 + bits % 10))
                    bits /= 10
                    room /= 10
                } else {
                    out.byte(UInt8(truncatingIfNeeded: 65 + bits % 26))
                    bits /= 26
                    room /= 26
                }
            } else {
                out.byte(byte)
            }
        }
    }

    /// Writes ten-thousandths as a signed decimal with four fraction digits (`-78.1478`).
    @inline(__always)
    private static func coordinate(_ value: Int, _ out: inout ByteWriter) {
        if value < 0 { out.byte(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        out.decimal(Int(magnitude / 10_000))
        out.byte(UInt8(ascii: "."))
        out.decimal(Int(magnitude % 10_000), width: 4)
    }

    /// Writes `nibbles` random lower-case hex digits.
    @inline(__always)
    private static func hex(_ rng: inout SplitMix64, nibbles: Int, _ out: inout ByteWriter) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        var left = nibbles
        while left > 0 {
            var bits = rng.next()
            for _ in 0..<min(16, left) {
                out.byte(table[Int(bits & 0xF)])
                bits >>= 4
            }
            left -= 16
        }
    }

    /// Writes a random version-4 UUID (`8-4-4-4-12` lower-case hex).
    @inline(__always)
    private static func uuid(_ rng: inout SplitMix64, _ out: inout ByteWriter) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        var high = rng.next()
        var low = rng.next()
        for position in 0..<32 {
            switch position {
            case 8, 12, 16, 20: out.byte(UInt8(ascii: "-"))
            default: break
            }
            var nibble: Int
            if position < 16 {
                nibble = Int(high & 0xF)
                high >>= 4
            } else {
                nibble = Int(low & 0xF)
                low >>= 4
            }
            if position == 12 { nibble = 4 }
            if position == 16 { nibble = 8 | (nibble & 3) }
            out.byte(table[nibble])
        }
    }

    /// Writes an 8-character alphanumeric salt.
    @inline(__always)
    private static func salt(_ rng: inout SplitMix64, _ out: inout ByteWriter) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        let table = alphabet.utf8Start
        var bits = rng.next()
        for _ in 0..<8 {
            out.byte(table[Int(bits % 62)])
            bits /= 62
        }
    }

    /// Writes `<date>","age":<age>` for a random moment in `range`.
    @inline(__always)
    private func date(in range: (Int64, Int64), _ rng: inout SplitMix64, _ out: inout ByteWriter) {
        let span = UInt64(range.1 - range.0)
        let milliseconds = range.0 + Int64(span.multipliedFullWidth(by: rng.next()).high)
        out.rfc3339(milliseconds)
        out.write("\",\"age\":")
        out.decimal(max(0, Self.years(from: Self.calendar(milliseconds), to: self.reference)))
    }

    /// The calendar day and the millisecond of the day of UTC `milliseconds`.
    @inline(__always)
    static func calendar(_ milliseconds: Int64) -> (year: Int64, month: Int64, day: Int64, millisecond: Int64) {
        let (day, millisecond) = Timestamp.dayAndTime(milliseconds)
        let date = Timestamp.civilFromDays(day)
        return (date.year, date.month, date.day, millisecond)
    }

    /// Whole years from `start` to `end` (an age), counting a year only once its anniversary has passed.
    @inline(__always)
    static func years(
        from start: (year: Int64, month: Int64, day: Int64, millisecond: Int64),
        to end: (year: Int64, month: Int64, day: Int64, millisecond: Int64)
    ) -> Int {
        let passed = (end.month, end.day, end.millisecond) >= (start.month, start.day, start.millisecond)
        return Int(end.year - start.year) - (passed ? 0 : 1)
    }
}
