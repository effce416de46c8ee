import Foundation
import StreamJSON
import Testing

@testable import RandomUser

/// The compact form of JSON `bytes` (the page splitter's own writer), and the key the splitter gives it.
func compactMessage(_ bytes: [UInt8]) throws -> FetchedUser {
    try bytes.withUnsafeBytes { buffer in
        var parser = JSONParser()
        parser.validatesUnicode = false
        return RandomUserResponse.message(try parser.parse(buffer).root)
    }
}

@Suite("Splitting API responses into messages")
struct RandomUserResponseTests {
    @Test("a fixture page splits into compact messages that keep every value", arguments: Fixtures.randomUserFiles())
    func fixturesSplitExactly(name: String) throws {
        let body = try Fixtures.randomUser(name)
        let parsedByFoundation = try #require(try foundationJSON(body) as? [String: Any])
        guard let expected = parsedByFoundation["results"] as? [Any] else {
            // A bare result (not an envelope): no results array.
            let response = try RandomUserResponse.parse(body)
            #expect(response.results == nil)
            return
        }
        let response = try RandomUserResponse.parse(body)
        let users = try #require(response.results)
        #expect(users.count == expected.count)
        for (user, original) in zip(users, expected) {
            // Same JSON as Foundation reads it, and no white space left outside strings.
            let reparsed = try foundationJSON(user.value)
            #expect(NSDictionary(dictionary: reparsed as? [String: Any] ?? [:])
                .isEqual(to: original as? [String: Any] ?? [:]))
            #expect(user.value == (try compactMessage(user.value)).value)
            #expect(!user.value.contains(UInt8(ascii: "\n")))
        }
    }

    @Test("the v1.4 fixture's user keeps its exact bytes, key and info")
    func envelopeFixtureBytes() throws {
        let response = try RandomUserResponse.parse(try Fixtures.randomUser("api-v1.4-envelope-1-user.json"))
        let user = try #require(response.results?.first)
        #expect(user.key.text == "4bbbf423-b3dd-409f-b35b-53957fc1b362")
        #expect(user.value.text.hasPrefix(#"{"gender":"male","name":{"title":"Mr","first":"Damas","last":"Oliveira"}"#))
        #expect(user.value.text.contains(#""postcode":32158,"coordinates":{"latitude":"-78.1478""#))
        #expect(user.value.text.hasSuffix(#""nat":"BR"}"#))
        #expect(response.seed == "6786def1f7fa0850")
        #expect(response.page == 1)
        #expect(response.errorMessage == nil)
    }

    @Test("the single 2020 result compacts to the same bytes minus white space")
    func singleResultCompact() throws {
        let body = try Fixtures.randomUser("single-result-2020.json")
        let message = try compactMessage(body)
        let withoutWhitespace = body.filter { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        // The fixture's strings contain spaces, so compare after removing white space from both.
        #expect(message.value.filter { $0 != 0x20 } == withoutWhitespace)
        #expect(message.value.text.contains(#""last":"Van Otterlo""#))
        #expect(message.key.text == "7d73a1f5-d89d-4c14-bb9e-45763f72ca22")
    }

    @Test("the outage fixture gives an empty results array, not an error")
    func outageFixture() throws {
        let response = try RandomUserResponse.parse(try Fixtures.randomUser("outage-empty-results.json"))
        #expect(response.results?.isEmpty == true)
        #expect(response.seed == "d3adb33f")
    }

    @Test("big numbers, escapes and non-ASCII text pass through byte for byte")
    func exactValues() throws {
        let body = """
            { "results" : [ { "big" : 123456789012345678901234567890 , "float": 1.0000000000000001e-300,
              "neg" : -0.0, "esc" : "a\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00 \\n", "name" : "Željko Ñúñez 王伟",
              "login" : { "uuid" : "  AbC-not-trimmed  " } } ,
              [ 1 , 2 ] , "text" , null , 7 ], "info": {"seed": "s\\u0031", "page": 3} }
            """
        let response = try RandomUserResponse.parse(Array(body.utf8))
        let users = try #require(response.results)
        #expect(users.count == 5)
        #expect(
            users[0].value.text
                == #"{"big":123456789012345678901234567890,"float":1.0000000000000001e-300,"neg":-0.0,"esc":"a\"b\\c\/d\u00e9\ud83d\ude00 \n","name":"Željko Ñúñez 王伟","login":{"uuid":"  AbC-not-trimmed  "}}"#
        )
        #expect(users[0].key.text == "  AbC-not-trimmed  ")
        #expect(users[1].value.text == "[1,2]")
        #expect(users[1].key.isEmpty)
        #expect(users[2].value.text == #""text""#)
        #expect(users[3].value.text == "null")
        #expect(users[4].value.text == "7")
        #expect(response.seed == "s1")
        #expect(response.page == 3)
    }

    @Test("the key is the unescaped login.uuid string; the last duplicate wins; non-strings give no key")
    func keys() throws {
        func key(_ json: String) -> String {
            (try? compactMessage(Array(json.utf8)))?.key.text ?? "not JSON"
        }
        #expect(key(#"{"login":{"uuid":"a\u002Db"}}"#) == "a-b")
        #expect(key(#"{"login":{"uuid":"first","uuid":"second"}}"#) == "second")
        #expect(key(#"{"login":{"uuid":"x"},"login":{"username":"y"}}"#) == "")
        #expect(key(#"{"login":{"uuid":123}}"#) == "")
        #expect(key(#"{"login":"uuid"}"#) == "")
        #expect(key(#"{"\u006cogin":{"uuid":"escaped-name"}}"#) == "escaped-name")
        #expect(key(#"{"id":{"uuid":"not-login"}}"#) == "")
        #expect(key("[1]") == "")
    }

    @Test("an error body is read as the API's message")
    func errorBody() throws {
        let response = try RandomUserResponse.parse(Array(#"{"error": "Uh oh, something has gone wrong"}"#.utf8))
        #expect(response.errorMessage == "Uh oh, something has gone wrong")
        #expect(response.results == nil)
    }

    @Test(
        "malformed bodies are invalid responses",
        arguments: [
            "", "{", #"{"results":[{"a":1},]}"#, #"{"results":[01]}"#, #"{"results":[1.]}"#, #"{"results":["\x"]}"#,
            #"{"results":[tru]}"#, #"{"results":[]} x"#, "[]", #"{"results":["a"#, "{\"results\":[\"\u{01}\"]}",
            #"{"results":[{"a" 1}]}"#, #"{"results":[NaN]}"#,
        ]
    )
    func malformed(body: String) throws {
        let error = try #require(throws: RandomUserError.self) { try RandomUserResponse.parse(Array(body.utf8)) }
        #expect(error.code == .invalidResponse)
        #expect(error.message.contains("malformed JSON"))
    }

    @Test("deep nesting is kept for the processor to judge, and does not overflow the stack")
    func depth() throws {
        let deep = "{\"results\":[" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "]}"
        let users = try #require(try RandomUserResponse.parse(Array(deep.utf8)).results)
        #expect(users.count == 1)
        #expect(users.first?.value.count == 200_000)
        let unbalanced = "{\"results\":[" + String(repeating: "[", count: 3000) + "]}"
        #expect(throws: RandomUserError.self) { try RandomUserResponse.parse(Array(unbalanced.utf8)) }
    }

    @Test("an element with ill-formed UTF-8 or a lone surrogate is kept for the processor; the page is not refused")
    func oddElementsKept() throws {
        let body: [UInt8] = Array(#"{"results": [{"name": "a"#.utf8) + [0xFF] + Array(#""}, {"name": "\ud800"},"#.utf8)
            + Array(#" {"login": {"uuid": "k\ud800"}}]}"#.utf8)
        let users = try #require(try RandomUserResponse.parse(body).results)
        #expect(users.count == 3)
        #expect(users[0].value == Array(#"{"name":"a"#.utf8) + [0xFF] + Array(#""}"#.utf8))
        #expect(users[1].value.text == #"{"name":"\ud800"}"#)
        #expect(users[2].key.text == "k\u{FFFD}")
    }
}
