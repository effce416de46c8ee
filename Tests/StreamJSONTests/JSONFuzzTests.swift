import Testing
import StreamJSON

/// A deliberately plain recursive RFC 8259 validator, written independently of `JSONParser`, used as the
/// reference in the fuzz test. UTF-8 is checked by the standard library's `String(validating:)`.
struct ReferenceValidator {
    let b: [UInt8]
    var i = 0
    var depth = 0

    static func accepts(_ bytes: [UInt8]) -> Bool {
        var v = ReferenceValidator(b: bytes)
        v.ws()
        guard v.value() else { return false }
        v.ws()
        return v.i == bytes.count
    }

    mutating func ws() {
        while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 }
    }

    mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else { return false }
        i += w.count
        return true
    }

    mutating func value() -> Bool {
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth <= 1024 else { return false }
            i += 1
            ws()
            if i < b.count && b[i] == UInt8(ascii: "}") { i += 1; return true }
            while true {
                ws()
                guard i < b.count, b[i] == UInt8(ascii: "\""), string() else { return false }
                ws()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                i += 1
                ws()
                guard value() else { return false }
                ws()
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return true }
                return false
            }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth <= 1024 else { return false }
            i += 1
            ws()
            if i < b.count && b[i] == UInt8(ascii: "]") { i += 1; return true }
            while true {
                ws()
                guard value() else { return false }
                ws()
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return true }
                return false
            }
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }

    mutating func number() -> Bool {
        if i < b.count && b[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return false }
        if b[i] == UInt8(ascii: "0") { i += 1 } else { while isDigit(i) { i += 1 } }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return true
    }

    mutating func string() -> Bool {
        i += 1
        var raw: [UInt8] = []
        var units: [UInt16] = []
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                guard String(validating: raw, as: UTF8.self) != nil else { return false }
                // Escaped UTF-16 units must pair up.
                var k = 0
                while k < units.count {
                    let u = units[k]
                    if u >= 0xD800 && u <= 0xDBFF {
                        guard k + 1 < units.count, units[k + 1] >= 0xDC00 && units[k + 1] <= 0xDFFF else { return false }
                        k += 2
                    } else if u >= 0xDC00 && u <= 0xDFFF {
                        return false
                    } else {
                        k += 1
                    }
                }
                return true
            }
            if c < 0x20 { return false }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < b.count else { return false }
                let e = b[i + 1]
                if "\"\\/bfnrt".utf8.contains(e) {
                    units.append(0)
                    i += 2
                } else if e == UInt8(ascii: "u") {
                    guard i + 6 <= b.count, let u = UInt16(String(decoding: b[i + 2..<i + 6], as: UTF8.self), radix: 16),
                        b[i + 2..<i + 6].allSatisfy({ "0123456789abcdefABCDEF".utf8.contains($0) })
                    else { return false }
                    units.append(u)
                    i += 6
                } else {
                    return false
                }
                raw.append(0x20)  // keep UTF-8 sequences on either side apart
                continue
            }
            if c < 0x80 || c >= 0xC0 { units.append(0) }  // one unit per character: escapes must be adjacent to pair
            raw.append(c)
            i += 1
        }
        return false
    }
}

@Suite("Fuzz: random mutations agree with a reference validator and never crash")
struct JSONFuzzTests {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static func corpus() -> [[UInt8]] {
        var seeds: [[UInt8]] = Fixtures.jsonTestSuiteFiles.compactMap { try? Fixtures.jsonTestSuite($0) }
            .filter { $0.count < 4096 }
        for name in ["api-v1.4-envelope-1-user.json", "single-result-2020.json", "outage-empty-results.json"] {
            if let bytes = try? Fixtures.randomUser(name) { seeds.append(bytes) }
        }
        seeds.append(Array(#"{"a": "\ud83d\ude00 é 😀", "b": [1.5e-3, -0, true, null, {"c": "\u0000"}]}"#.utf8))
        return seeds
    }

    static let tokens: [[UInt8]] = [
        "\"", "\\", "\\u", "\\uD800", "\\uDC00", "{", "}", "[", "]", ",", ":", "-", "0", "1e", ".", "null", "true",
        "\u{FEFF}", "é", "😀", " ", "\t", "\n", "\u{0}", "NaN",
    ].map { Array($0.utf8) } + [[0xC0], [0xED, 0xA0], [0xF4, 0x90], [0xFF], [0x80]]

    static func mutate(_ input: [UInt8], _ corpus: [[UInt8]], _ random: inout Random) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(3) {
            switch random.below(6) {
            case 0 where !bytes.isEmpty:
                bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty:
                bytes.removeSubrange(random.below(bytes.count)...)
            case 2:
                bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: random.below(bytes.count + 1))
            case 3:
                let other = corpus[random.below(corpus.count)]
                let start = random.below(other.count)
                let end = min(other.count, start + random.below(64))
                bytes.insert(contentsOf: other[start..<end], at: random.below(bytes.count + 1))
            case 4 where !bytes.isEmpty:
                let start = random.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(8)))
            default:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(bytes.count + 1))
            }
        }
        return bytes
    }

    @Test("the reference agrees with the JSON test suite's y_ and n_ files")
    func referenceIsSound() throws {
        for name in Fixtures.jsonTestSuiteFiles where name.hasPrefix("y_") || name.hasPrefix("n_") {
            let bytes = try Fixtures.jsonTestSuite(name)
            #expect(ReferenceValidator.accepts(bytes) == name.hasPrefix("y_"), "\(name)")
        }
    }

    @Test("50,000 mutations: the parser accepts exactly what the reference accepts; accepted texts walk cleanly")
    func mutations() {
        let corpus = Self.corpus()
        var random = Random(state: 0x5EED)
        var parser = JSONParser()
        var disagreements: [String] = []
        var accepted = 0
        for _ in 0..<50_000 {
            let input = Self.mutate(corpus[random.below(corpus.count)], corpus, &random)
            let ours: Bool = input.withUnsafeBytes { buffer in
                guard let document = try? parser.parse(buffer) else { return false }
                // Walk every value: nothing may trap.
                var stack = [document.root]
                while let value = stack.popLast() {
                    switch value.kind {
                    case .array: stack.append(contentsOf: value.elements)
                    case .object:
                        for member in value.members {
                            _ = member.key.string
                            stack.append(member.value)
                        }
                    case .string: _ = value.string
                    case .number: _ = value.number?.double
                    default: break
                    }
                }
                return true
            }
            if ours { accepted += 1 }
            if ours != ReferenceValidator.accepts(input), disagreements.count < 5 {
                disagreements.append(String(decoding: input.prefix(200), as: UTF8.self))
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements)")
        #expect(accepted > 500)
    }
}
