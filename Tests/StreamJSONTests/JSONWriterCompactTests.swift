import Testing
import StreamJSON

@Suite("JSONWriter.writeCompact: a parsed value without white space")
struct JSONWriterCompactTests {
    /// The compact form of the root of `text`.
    static func compact(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { buffer in
            var parser = JSONParser()
            let root = try parser.parse(buffer).root
            var out: [UInt8] = []
            JSONWriter.writeCompact(root, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    @Test("white space between tokens goes; inside strings, after escaped quotes, it stays")
    func whiteSpace() throws {
        let json = " { \"a b\" : \"x \\\" y\\\\\" , \"c\" :\t[ 1 ,\r\n 2 ] } "
        #expect(try Self.compact(json) == #"{"a b":"x \" y\\","c":[1,2]}"#)
    }

    @Test("numbers, escapes and non-ASCII text are copied byte for byte")
    func exact() throws {
        let json = #"[ 123456789012345678901234567890 , 1.0000000000000001e-300, -0.0, "\u00e9\ud83d\ude00\/", "Željko 王伟", true, null ]"#
        #expect(
            try Self.compact(json)
                == #"[123456789012345678901234567890,1.0000000000000001e-300,-0.0,"\u00e9\ud83d\ude00\/","Željko 王伟",true,null]"#)
    }

    @Test("scalars and empty containers come out as they are", arguments: ["\"s\"", "7", "null", "{}", "[]", "[[],{}]"])
    func scalars(_ json: String) throws {
        #expect(try Self.compact(" \(json)\n") == json)
    }

    @Test("an inner value is written on its own, and appends to what is there")
    func inner() throws {
        let bytes = Array(#"{"results": [ {"a" : [ 1, 2 ] }, 3 ] }"#.utf8)
        try bytes.withUnsafeBytes { buffer in
            var parser = JSONParser()
            let root = try parser.parse(buffer).root
            var out = Array("> ".utf8)
            for element in try #require(root["results"]).elements {
                JSONWriter.writeCompact(element, into: &out)
            }
            #expect(String(decoding: out, as: UTF8.self) == #"> {"a":[1,2]}3"#)
        }
    }

    @Test("every accepted text of the JSON test suite compacts to the same values, and compacting again changes nothing",
          arguments: Fixtures.jsonTestSuiteFiles.filter { $0.hasPrefix("y_") })
    func suite(_ name: String) throws {
        /// The compact form of `bytes` and the raw text of every value in it, in order.
        func compact(_ bytes: [UInt8]) throws -> (text: [UInt8], values: [[UInt8]]) {
            try bytes.withUnsafeBytes { buffer in
                var parser = JSONParser()
                let root = try parser.parse(buffer).root
                var out: [UInt8] = []
                JSONWriter.writeCompact(root, into: &out)
                var values: [[UInt8]] = []
                func collect(_ value: JSONValue) {
                    switch value.kind {
                    case .array: value.elements.forEach(collect)
                    case .object: value.members.forEach { collect($0.key); collect($0.value) }
                    default: values.append(Array(value.rawBytes))
                    }
                }
                collect(root)
                return (out, values)
            }
        }
        let bytes = try Fixtures.jsonTestSuite(name)
        let once = try compact(bytes)
        let twice = try compact(once.text)
        #expect(once.text.count <= bytes.count)
        #expect(twice.text == once.text)
        #expect(twice.values == once.values)
    }
}
