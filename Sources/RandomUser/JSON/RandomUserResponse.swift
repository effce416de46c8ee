/// A RandomUser API response body split into one compact JSON message per result, without decoding the values.
///
/// The parser validates the JSON structure of the whole body with a byte scanner and keeps each element of `results`
/// byte-for-byte (only insignificant white space is removed), so big numbers, escapes and non-ASCII text reach the
/// topic exactly as the API wrote them. Elements that are not objects are kept too: the processor rejects them.
public struct RandomUserResponse: Sendable {
    /// One message per element of `results`, in order; nil when the body has no `results` array.
    public var results: [FetchedUser]?
    /// The `error` member's text, when the body is an object with a string `error` (the API's error form).
    public var errorMessage: String?
    /// `info.seed`, when it is a string.
    public var seed: String?
    /// `info.page`, when it is an integer.
    public var page: Int?

    /// Creates a parsed response.
    public init(results: [FetchedUser]? = nil, errorMessage: String? = nil, seed: String? = nil, page: Int? = nil) {
        self.results = results
        self.errorMessage = errorMessage
        self.seed = seed
        self.page = page
    }

    /// Parses a response body.
    ///
    /// - Parameter body: The UTF-8 body.
    /// - Returns: The results split into messages, plus `error` and `info` when present.
    /// - Throws: ``RandomUserError`` with code ``RandomUserError/Code/invalidResponse`` when the body is not a
    ///   well-formed JSON object; the message says where.
    public static func parse(_ body: some Collection<UInt8>) throws -> RandomUserResponse {
        let result: Result<RandomUserResponse, JSONScanError>
        if let direct = body.withContiguousStorageIfAvailable({ self.parseResult($0) }) {
            result = direct
        } else {
            result = Array(body).withUnsafeBufferPointer { self.parseResult($0) }
        }
        switch result {
        case .success(let response):
            return response
        case .failure(let error):
            throw RandomUserError(
                code: .invalidResponse,
                message: "malformed JSON response at byte \(error.offset): \(error.reason)"
            )
        }
    }

    private static func parseResult(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<RandomUserResponse, JSONScanError> {
        do throws(JSONScanError) {
            return .success(try self.parse(bytes))
        } catch {
            return .failure(error)
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) -> RandomUserResponse {
        var scanner = JSONScanner(bytes)
        var response = RandomUserResponse()
        if try scanner.beginObject() {
            repeat {
                let name = try scanner.memberName()
                if scanner.stringEquals(name, "results"), scanner.peek == UInt8(ascii: "[") {
                    response.results = try self.splitArray(&scanner)
                } else if scanner.stringEquals(name, "error"), scanner.peek == UInt8(ascii: "\"") {
                    let range = try scanner.scanString()
                    response.errorMessage = String(decoding: scanner.decodeString(range), as: UTF8.self)
                } else if scanner.stringEquals(name, "info"), scanner.peek == UInt8(ascii: "{") {
                    try self.parseInfo(&scanner, into: &response)
                } else {
                    if scanner.stringEquals(name, "results") { response.results = nil }
                    try scanner.skipValue()
                }
            } while try scanner.nextMember()
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw scanner.error("unexpected bytes after the JSON value") }
        return response
    }

    private static func parseInfo(_ scanner: inout JSONScanner, into response: inout RandomUserResponse)
        throws(JSONScanError)
    {
        guard try scanner.beginObject() else { return }
        repeat {
            let name = try scanner.memberName()
            if scanner.stringEquals(name, "seed"), scanner.peek == UInt8(ascii: "\"") {
                let range = try scanner.scanString()
                response.seed = String(decoding: scanner.decodeString(range), as: UTF8.self)
            } else if scanner.stringEquals(name, "page") {
                let range = try scanner.skipValue()
                response.page = Int(String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[range]), as: UTF8.self))
            } else {
                try scanner.skipValue()
            }
        } while try scanner.nextMember()
    }

    /// Splits the array at the cursor into one compact message per element.
    private static func splitArray(_ scanner: inout JSONScanner) throws(JSONScanError) -> [FetchedUser] {
        try scanner.expect(UInt8(ascii: "["), "an array")
        var users: [FetchedUser] = []
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "]") {
            scanner.index += 1
            return users
        }
        while true {
            scanner.skipWhitespace()
            scanner.skippedWhitespace = false
            let range = try scanner.skipValue()
            let element = UnsafeBufferPointer(rebasing: scanner.bytes[range])
            users.append(self.message(element, isCompact: !scanner.skippedWhitespace))
            scanner.skipWhitespace()
            switch scanner.peek {
            case UInt8(ascii: ","): scanner.index += 1
            case UInt8(ascii: "]"):
                scanner.index += 1
                return users
            default: throw scanner.error("expected , or ]")
            }
        }
    }

    /// The message for one (well-formed) element: its compact bytes and its `login.uuid` key.
    ///
    /// - Parameters:
    ///   - element: The element's bytes.
    ///   - isCompact: Whether the element is known to hold no white space outside strings (then it is copied as is).
    static func message(_ element: UnsafeBufferPointer<UInt8>, isCompact: Bool = false) -> FetchedUser {
        let value = isCompact ? Array(element) : JSONMinifier.minify(UnsafeRawBufferPointer(element))
        let key = value.withUnsafeBufferPointer { self.loginUUID(in: $0) }
        return FetchedUser(key: key, value: value)
    }

    /// `login.uuid` of a JSON object, unescaped, when it is a string (the last occurrence wins); else empty.
    ///
    /// - Parameter element: One JSON value; anything that is not a well-formed object gives an empty key.
    /// - Returns: The UTF-8 bytes of the uuid string, or `[]`.
    public static func loginUUID(in element: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var scanner = JSONScanner(element)
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{") else { return [] }
        var key: [UInt8] = []
        do throws(JSONScanError) {
            guard try scanner.beginObject() else { return [] }
            repeat {
                let name = try scanner.memberName()
                guard scanner.stringEquals(name, "login") else {
                    try scanner.skipValue()
                    continue
                }
                key = []
                guard scanner.peek == UInt8(ascii: "{") else {
                    try scanner.skipValue()
                    continue
                }
                guard try scanner.beginObject() else { continue }
                repeat {
                    let inner = try scanner.memberName()
                    if scanner.stringEquals(inner, "uuid") {
                        if scanner.peek == UInt8(ascii: "\"") {
                            key = scanner.decodeString(try scanner.scanString())
                        } else {
                            key = []
                            try scanner.skipValue()
                        }
                    } else {
                        try scanner.skipValue()
                    }
                } while try scanner.nextMember()
            } while try scanner.nextMember()
        } catch {
            return []
        }
        return key
    }
}
