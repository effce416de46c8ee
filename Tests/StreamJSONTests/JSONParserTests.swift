import Testing
import StreamJSON

@Suite("JSONParser: validation and accessors")
struct JSONParserTests {
    private func accepts(_ bytes: [UInt8]) -> Bool {
        var parser = JSONParser()
        return parser.validate(bytes)
    }

    private func withRoot<R>(_ text: String, _ body: (JSONValue) throws -> R) throws -> R {
        var parser = JSONParser()
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { buffer in
            let document = try parser.parse(buffer)
            return try body(document.root)
        }
    }

    @Test("RFC 8259 texts are accepted", arguments: [
        "{}", "[]", "0", "-0", "1.5e-3", "\"\"", "true", "false", "null", " \t\r\n[ 1 , {\"a\" : [ ] } ] \n",
        #"{"a":"\u00e9\ud83d\ude00\/\b\f\n\r\t\\\""}"#, "1E+2", "[-1.0e0]", "\"\u{7F}\"", "\"é😀\"",
    ])
    func accepted(_ text: String) {
        #expect(accepts(Array(text.utf8)))
    }

    @Test("texts outside RFC 8259 are rejected", arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "-Infinity", "nul",
        "tru", "[1 2]", "{\"a\" 1}", "{1:2}", "'a'", "\"\\x\"", "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00\"",
        "\"\\uD800\\u0041\"", "\"\\uD800\\\"", "\"a\tb\"", "\"a\nb\"", "[1]x", "[1] [2]", "\u{FEFF}[]", "\u{A0}[]",
        "[1]\u{0B}", "\"abc", "[\"a\" \"b\"]", "{\"a\":}", "/* c */ 1", "[0x10]", "1_000",
    ])
    func rejected(_ text: String) {
        #expect(!accepts(Array(text.utf8)))
    }

    @Test("ill-formed UTF-8 in strings is rejected", arguments: [
        [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF0, 0x80, 0x80, 0xAF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        [0xC3, 0x28],
    ] as [[UInt8]])
    func illFormedUTF8(_ bad: [UInt8]) {
        #expect(!accepts([0x22] + bad + [0x22]))
        #expect(!accepts([0x22, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61] + bad + [0x61, 0x22]))
    }

    @Test("well-formed UTF-8 edges are accepted", arguments: [
        [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ] as [[UInt8]])
    func wellFormedUTF8(_ good: [UInt8]) {
        #expect(accepts([0x22] + good + [0x22]))
    }

    @Test("nesting: 1,024 levels accepted, 1,025 rejected")
    func depth() {
        #expect(accepts(Array((String(repeating: "[", count: 1024) + String(repeating: "]", count: 1024)).utf8)))
        #expect(!accepts(Array((String(repeating: "[", count: 1025) + String(repeating: "]", count: 1025)).utf8)))
        let objects = String(repeating: "{\"a\":", count: 1024) + "1" + String(repeating: "}", count: 1024)
        #expect(accepts(Array(objects.utf8)))
        #expect(!accepts(Array(String(repeating: "[", count: 100_000).utf8)))
    }

    @Test("the error names a code and an offset, never the input")
    func errorShape() {
        var parser = JSONParser()
        let bytes = Array(#"{"password": "secret" x}"#.utf8)
        bytes.withUnsafeBytes { buffer in
            do {
                _ = try parser.parse(buffer)
                Issue.record("must throw")
            } catch let error as JSONParseError {
                #expect(error.code == .unexpectedCharacter && error.offset == 22)
                #expect(!error.description.contains("secret"))
            } catch {
                Issue.record("unexpected error type")
            }
        }
    }

    @Test("object lookup: last duplicate wins, escaped keys match, missing keys are nil")
    func lookup() throws {
        try withRoot(#"{"a": 1, "b": {"c": [true, null]}, "a": 2, "k\u0065y": "v"}"#) { root in
            #expect(root.kind == .object && root.count == 4)
            #expect(root["a"]?.int64 == 2)
            #expect(root.member("key")?.string == "v")
            #expect(root["b"]?["c"]?.elements.map(\.kind) == [.true, .null])
            #expect(root["zz"] == nil && root["b"]?["c"]?["x"] == nil)
            #expect(root.members.map { $0.key.string ?? "" } == ["a", "b", "a", "key"])
        }
    }

    @Test("forEachMember: one pass in input order, keys unescaped, duplicates included")
    func forEachMember() throws {
        try withRoot(#"{"a": 1, "k\u0065y": [true], "a": {"b": null}, "": "e"}"#) { root in
            var seen: [(String, JSONKind)] = []
            root.forEachMember { key, value in seen.append((String(decoding: key, as: UTF8.self), value.kind)) }
            #expect(seen.map(\.0) == ["a", "key", "a", ""])
            #expect(seen.map(\.1) == [.number, .array, .object, .string])
            var keys = 0
            root["key"]?.forEachMember { _, _ in keys += 1 }
            #expect(keys == 0)
            var matched = 0
            root.forEachMember { key, _ in if bytesEqual(key, "key") { matched += 1 } }
            #expect(matched == 1)
        }
    }

    @Test("strings: unescaped on demand, fast path without escapes")
    func strings() throws {
        try withRoot(#"["plain é", "esc\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00", ""]"#) { root in
            let values = root.elements.map { $0.string }
            #expect(values == ["plain é", "esc\"\\/\u{8}\u{c}\n\r\tAé€😀", ""])
            #expect(root.elements.map(\.hasEscapes) == [false, true, false])
            var scratch: [UInt8] = []
            let count = root.elements.map { $0.withUnescapedUTF8(scratch: &scratch) { $0.count } ?? -1 }
            #expect(count == [8, 21, 0])
        }
    }

    @Test("numbers: exact Int64, Double otherwise, integral floats told apart, big integers kept as text")
    func numbers() throws {
        try withRoot(#"[54, 54.0, 5.4e1, -9223372036854775808, 9223372036854775808, 123456789012345678901234567890, 0.1, 1e400, -0]"#) { root in
            let numbers = root.elements.compactMap(\.number)
            #expect(numbers.count == 9)
            #expect(numbers[0].int64 == 54 && numbers[0].isIntegerLiteral && !numbers[0].isIntegralFloat)
            #expect(numbers[1].int64 == nil && numbers[1].isIntegralFloat && numbers[1].double == 54)
            #expect(numbers[2].isIntegralFloat && numbers[2].double == 54)
            #expect(numbers[3].int64 == Int64.min)
            #expect(numbers[4].int64 == nil && numbers[4].text == "9223372036854775808")
            #expect(numbers[5].text == "123456789012345678901234567890" && numbers[5].isIntegerLiteral)
            #expect(numbers[6].double == 0.1 && !numbers[6].isIntegralFloat)
            #expect(numbers[7].double == .infinity && !numbers[7].isIntegralFloat)
            #expect(numbers[8].int64 == 0)
        }
    }

    @Test("decimal parsing agrees with the standard library", arguments: [
        "0.1", "41.4658", "-105.0650", "1e22", "1e23", "9007199254740993", "123456789012345678901234567890",
        "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "0.000001", "12.", ".5", "+7", "3.14159265358979323846",
    ])
    func decimals(_ text: String) {
        var copy = text
        let ours = copy.withUTF8 { JSONNumber.parseDecimal(UnsafeRawBufferPointer($0)) }
        var normalized = text.hasSuffix(".") ? text + "0" : text
        if normalized.hasPrefix(".") { normalized = "0" + normalized }
        #expect(ours == Double(normalized))
    }

    @Test("the parser is reusable and documents keep their own tape")
    func reuse() throws {
        var parser = JSONParser()
        let first = Array(#"{"a": [1, 2, 3]}"#.utf8)
        let second = Array(#"[true]"#.utf8)
        try first.withUnsafeBytes { a in
            let docA = try parser.parse(a)
            try second.withUnsafeBytes { b in
                let docB = try parser.parse(b)
                #expect(docB.root.elements.map(\.kind) == [.true])
                #expect(docA.root["a"]?.elements.compactMap(\.int64) == [1, 2, 3])
            }
        }
    }
}

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("strings are escaped minimally and round-trip through the parser", arguments: [
        "", "plain", "quote \" backslash \\ slash /", "controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}",
        "non-ASCII é 😀 \u{2028}", String(repeating: "abcdefgh", count: 10) + "\"",
    ])
    func roundTrip(_ text: String) throws {
        var out: [UInt8] = []
        JSONWriter.writeString(text, into: &out)
        var parser = JSONParser()
        let decoded = try out.withUnsafeBytes { try parser.parse($0).root.string }
        #expect(decoded == text)
    }

    @Test("exact escapes")
    func exact() {
        var out: [UInt8] = []
        JSONWriter.writeString("a\"\\\n\t\u{1}é", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\"\\\n\t\u0001é""#)
    }

    @Test("integers and doubles", arguments: [
        (Int64.min, "-9223372036854775808"), (Int64.max, "9223372036854775807"), (0, "0"), (-7, "-7"),
    ])
    func integers(_ value: Int64, _ expected: String) {
        var out: [UInt8] = []
        JSONWriter.writeInt(value, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test("doubles use the shortest round-trip form")
    func doubles() {
        var out: [UInt8] = []
        for d in [41.4658, -0.5, 12.0, 1e-5, Double.nan] {
            JSONWriter.writeDouble(d, into: &out)
            out.append(0x20)
        }
        #expect(String(decoding: out, as: UTF8.self) == "41.4658 -0.5 12.0 1e-05 null ")
    }
}
