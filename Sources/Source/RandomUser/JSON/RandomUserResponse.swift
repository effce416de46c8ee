import StreamJSON

/// A RandomUser API response body split into one compact JSON message per result, without decoding the values.
///
/// StreamJSON's parser checks the JSON structure of the whole body (grammar, escapes, balanced nesting at any depth,
/// no trailing data) and each element of `results` is kept byte-for-byte (only insignificant white space is removed),
/// so big numbers, escapes and non-ASCII text reach the topic exactly as the API wrote them. Elements that are not
/// objects are kept too, and so is ill-formed UTF-8 or a lone surrogate escape inside an element: the processor
/// rejects such a record on its own, so one odd element never costs the page.
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
        if let direct = body.withContiguousStorageIfAvailable({ self.parseResult(UnsafeRawBufferPointer($0)) }) {
            return try direct.get()
        }
        return try Array(body).withUnsafeBytes { self.parseResult($0) }.get()
    }

    private static func parseResult(_ bytes: UnsafeRawBufferPointer) -> Result<RandomUserResponse, RandomUserError> {
        var parser = JSONParser()
        parser.maxDepth = .max
        parser.validatesUnicode = false
        let root: JSONValue
        do {
            root = try parser.parse(bytes).root
        } catch {
            return .failure(self.malformed("\(error)"))
        }
        guard root.kind == .object else {
            return .failure(self.malformed("a JSON \(root.kind), not an object at byte 0"))
        }
        var response = RandomUserResponse()
        root.forEachMember { name, value in
            if bytesEqual(name, "results") {
                response.results = value.kind == .array ? value.elements.map(self.message) : nil
            } else if bytesEqual(name, "error"), let message = value.string {
                response.errorMessage = message
            } else if bytesEqual(name, "info") {
                value.forEachMember { name, value in
                    if bytesEqual(name, "seed"), let seed = value.string {
                        response.seed = seed
                    } else if bytesEqual(name, "page") {
                        response.page = value.int64.flatMap { Int(exactly: $0) }
                    }
                }
            }
        }
        return .success(response)
    }

    private static func malformed(_ reason: String) -> RandomUserError {
        RandomUserError(code: .invalidResponse, message: "malformed JSON response: \(reason)")
    }

    /// The message for one element of `results`: its compact bytes and its `login.uuid` key.
    static func message(_ element: JSONValue) -> FetchedUser {
        var value: [UInt8] = []
        value.reserveCapacity(element.rawBytes.count)
        JSONWriter.writeCompact(element, into: &value)
        return FetchedUser(key: self.loginUUID(of: element), value: value)
    }

    /// `login.uuid` of a JSON object, unescaped, when it is a string (of duplicate keys the last one counts); else
    /// empty.
    ///
    /// - Parameter element: One element of `results`; anything but an object gives an empty key.
    /// - Returns: The UTF-8 bytes of the uuid string, or `[]`.
    static func loginUUID(of element: JSONValue) -> [UInt8] {
        element.member("login")?.member("uuid")?.withStringUTF8 { Array($0) } ?? []
    }
}
