import Testing
import StreamJSON

@Suite("JSONParser with validatesUnicode off: the structure only")
struct UnicodeLaxParsingTests {
    static func accepts(_ bytes: [UInt8]) -> Bool {
        var parser = JSONParser()
        parser.validatesUnicode = false
        parser.maxDepth = .max
        return parser.validate(bytes)
    }

    static func strictlyAccepts(_ bytes: [UInt8]) -> Bool {
        var parser = JSONParser()
        return parser.validate(bytes)
    }

    /// Every string of `bytes` (keys too), read as `String` and as unescaped bytes, when the lax parser accepts it.
    static func strings(_ bytes: [UInt8]) -> [String]? {
        bytes.withUnsafeBytes { buffer in
            var parser = JSONParser()
            parser.validatesUnicode = false
            guard let root = try? parser.parse(buffer).root else { return nil }
            var strings: [String] = []
            func collect(_ value: JSONValue) {
                switch value.kind {
                case .string:
                    strings.append(value.string ?? "")
                    _ = value.withStringUTF8 { $0.count }
                case .array: value.elements.forEach(collect)
                case .object: value.members.forEach { collect($0.key); collect($0.value) }
                default: break
                }
            }
            collect(root)
            return strings
        }
    }

    @Test(
        "the JSON test suite: y_ accepted, n_ rejected, i_ never crash even when read",
        arguments: Fixtures.jsonTestSuiteFiles)
    func suite(_ name: String) throws {
        let bytes = try Fixtures.jsonTestSuite(name)
        if name.hasPrefix("y_") {
            #expect(Self.accepts(bytes), "\(name) must be accepted")
        } else if name.hasPrefix("n_") {
            #expect(!Self.accepts(bytes), "\(name) must be rejected")
        } else {
            _ = Self.strings(bytes)
        }
    }

    @Test("ill-formed UTF-8 and lone surrogates are kept, and read as U+FFFD")
    func kept() throws {
        let raw: [UInt8] = Array(#"["a"#.utf8) + [0xFF, 0xC3] + Array(#"b", "\ud800", "\udc00x", "\ud800\u0041", "\ud83d\ude00"]"#.utf8)
        #expect(!Self.strictlyAccepts(raw))
        #expect(Self.strings(raw) == ["a\u{FFFD}\u{FFFD}b", "\u{FFFD}", "\u{FFFD}x", "\u{FFFD}A", "😀"])
        let lone = Array(#"["\ud800"]"#.utf8)
        #expect(!Self.strictlyAccepts(lone))
        #expect(Self.accepts(lone))
    }

    @Test("grammar, escapes, nesting and trailing data are still checked", arguments: [
        #"["\x"]"#, #"["\u12"]"#, #"["\ud800\u12"]"#, "[1,]", "[01]", #"{"a" 1}"#, "[1] x", "[", "\"\u{1}\"",
    ])
    func stillChecked(_ json: String) {
        #expect(!Self.accepts(Array(json.utf8)))
    }

    @Test("any depth is accepted when maxDepth allows it; the parser's stack is on the heap")
    func depth() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(Self.accepts(deep))
        #expect(!Self.strictlyAccepts(deep))
    }
}
