import Foundation
import Testing
import StreamJSON
import UsersContract

@Suite("Secrets never leave the processor (section 3, section 7 item 15)")
struct SecretsTests {
    /// Everything a transformer lets out for one message, as text.
    private func everythingEmitted(_ bytes: [UInt8], maxMessageBytes: Int = 1 << 20) -> String {
        let (outcomes, _) = Harness.transform(bytes, maxMessageBytes: maxMessageBytes)
        var text = ""
        for outcome in outcomes {
            switch outcome {
            case .row(let row):
                text += String(decoding: RowJSON.encode(row), as: UTF8.self)
                text += String(describing: row)
            case .reject(let letter):
                text += String(decoding: letter.jsonBytes(), as: UTF8.self)
                text += letter.detail + letter.payloadText + (letter.key ?? "")
            }
        }
        return text
    }

    /// Ways to break a good record into every kind of reject.
    private static func variants(of user: SyntheticUsers.User) -> [[UInt8]] {
        let json = user.json
        let bytes = Array(json.utf8)
        var out: [[UInt8]] = [bytes]
        out.append(Array(json.replacingOccurrences(of: user.uuid, with: "not-a-uuid").utf8))
        out.append(Array(json.replacingOccurrences(of: "\"email\"", with: "\"e-mail\"").utf8))
        out.append(Array(json.replacingOccurrences(of: "@example.com", with: "example.com").utf8))
        out.append(Array(#"{"results": [\#(json), 5, \#(json)]}"#.utf8))
        out.append(Array("[\(json)]".utf8))
        for cut in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 40)) {
            out.append(Array(bytes[0..<cut]))  // truncated: not JSON
        }
        out.append(Array(json.replacingOccurrences(of: "\"name\": \"BSN\"", with: "'name': 'BSN'").utf8))
        out.append(bytes + Array(" trailing".utf8))
        out.append(Array("password=\(json)".utf8))
        return out
    }

    @Test("no secret value appears in any row, dead letter or detail, for many inputs, rejected or not")
    func noSecretsAnywhere() {
        var generator = SyntheticUsers(seed: 42)
        var checked = 0
        var leaks: [String] = []
        for _ in 0..<60 {
            let user = generator.user()
            for input in Self.variants(of: user) {
                let emitted = everythingEmitted(input)
                for secret in user.secrets where emitted.contains(secret) { leaks.append(secret) }
                checked += 1
            }
            // The same, rejected as too_large.
            let emitted = everythingEmitted(Array(user.json.utf8), maxMessageBytes: 10)
            for secret in user.secrets where emitted.contains(secret) { leaks.append(secret) }
        }
        #expect(checked > 2000)
        #expect(leaks.isEmpty)
    }

    @Test("a rejected JSON record keeps every other field; login and id lose only their secrets")
    func jsonPayloadKeepsOtherFields() throws {
        let text = #"{"login": {"uuid": "bad", "username": "u", "password": "p1", "salt": "s1", "md5": "m1", "sha1": "h1", "sha256": "h2"}, "id": {"name": "BSN", "value": "v1"}, "email": "a@b.co", "nested": {"login": {"password": "p2", "keep": 1}, "id": {"value": "v2"}, "value": "kept", "password": "kept2"}}"#
        let letter = try #require(Harness.reject(text))
        #expect(letter.reason == .invalidUserID)
        #expect(letter.payloadText == #"{"login":{"uuid":"bad","username":"u"},"id":{"name":"BSN"},"email":"a@b.co","nested":{"login":{"keep":1},"id":{},"value":"kept","password":"kept2"}}"#)
    }

    @Test("escaped and duplicate secret keys are removed too")
    func escapedKeys() throws {
        let text = #"{"login": {"uuid": 1, "pass\u0077ord": "p1", "password": "p2", "password": "p3"}, "\u0069d": {"value": "v1"}}"#
        let letter = try #require(Harness.reject(text))
        #expect(letter.payloadText == #"{"login":{"uuid":1},"\u0069d":{}}"#)
    }

    @Test("raw text is cut to 64 KiB at a character boundary, then scrubbed", arguments: [
        (#"{"login": {"password": "abc", "uuid": "x"}"#, #"{"login": {"uuid": "x"}"#),
        (#"{"password": "unterminated..."#, "{"),
        (#"{"salt":"s", "md5" : 12, "sha1": [1, "]", 2], "sha256": {"a": "}"}, "value": null}"#, "{}"),
        (#"x "value": "a\"b" y"#, "x  y"),
        (#"{"pass\u0077ord": "p", "k": 1}"#, #"{"k": 1}"#),
        (#""password""#, ""),
        (#"{"passwords": "kept"}"#, #"{"passwords": "kept"}"#),
    ])
    func rawText(_ input: String, _ expected: String) {
        #expect(Secrets.scrubRawText(input) == expected)
    }

    @Test("the 64 KiB cut never splits a character and removes a member cut in half")
    func cut() {
        let filler = String(repeating: "é", count: 40_000)  // 80,000 bytes
        let scrubbed = Secrets.scrubRawText(filler)
        #expect(scrubbed.utf8.count == 65_536 && scrubbed.allSatisfy { $0 == "é" })
        let odd = "x" + filler
        #expect(Secrets.scrubRawText(odd).utf8.count == 65_535)
        let atEdge = String(repeating: "a", count: 65_520) + #""password": "0123456789abcdefSECRET""#
        let edge = Secrets.scrubRawText(atEdge)
        #expect(!edge.contains("0123") && edge.utf8.count == 65_520)
    }

    @Test("ill-formed UTF-8 in raw text becomes U+FFFD, and the dead letter is valid JSON")
    func illFormed() throws {
        let bytes: [UInt8] = Array(#"{"a": ""#.utf8) + [0xFF, 0xC0] + Array(#"", "password": "p"}"#.utf8)
        let letter = try #require(Harness.reject(bytes))
        #expect(letter.reason == .notJSON)
        #expect(letter.payloadText == "{\"a\": \"\u{FFFD}\u{FFFD}\", }")
        var parser = JSONParser()
        let valid = parser.validate(letter.jsonBytes())
        #expect(valid)
    }
}
