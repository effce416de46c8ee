/// What ``FakeRandomUserServer`` does with one request: a normal page or one of the API's failure modes.
public struct FakeResponse: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case normal
        case hang
        case emptyPage
        case malformedJSON
        case closeConnection
        case status(Int, body: String?, headers: [(String, String)])
        case slow(Duration)
    }

    let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// A page of generated users, as asked (`results`, `seed`, `page`, `nat`).
    public static let normal = FakeResponse(.normal)
    /// Never answers: the request hangs until the client gives up or the server shuts down.
    public static let hang = FakeResponse(.hang)
    /// HTTP 200 with `{"results":[],"info":{...}}`, as the API did during an outage.
    public static let emptyPage = FakeResponse(.emptyPage)
    /// HTTP 200 with a truncated JSON body.
    public static let malformedJSON = FakeResponse(.malformedJSON)
    /// Closes the connection without answering.
    public static let closeConnection = FakeResponse(.closeConnection)

    /// HTTP 429 with `Retry-After` and the API's own error body.
    ///
    /// - Parameters:
    ///   - retryAfter: The `Retry-After` value (seconds or an HTTP date); nil sends none. Default: `"1"`.
    ///   - message: The `error` text. Default: the API's `Whoa, ease up there cowboy, you've hit the rate limit...`.
    public static func tooManyRequests(
        retryAfter: String? = "1",
        message: String = "Whoa, ease up there cowboy, you've hit the rate limit, try again later"
    ) -> FakeResponse {
        FakeResponse(
            .status(429, body: Self.errorJSON(message), headers: retryAfter.map { [("Retry-After", $0)] } ?? []))
    }

    /// A bare HTTP status (for example 500, 502, 503, 504) with an optional body.
    ///
    /// - Parameters:
    ///   - code: The status code.
    ///   - body: The body text. Default: none.
    ///   - headers: Extra headers. Default: none.
    public static func status(_ code: Int, body: String? = nil, headers: [(String, String)] = []) -> FakeResponse {
        FakeResponse(.status(code, body: body, headers: headers))
    }

    /// The API's error form, `{"error": "<message>"}`, with any status (the API sends it with 200 too).
    ///
    /// - Parameters:
    ///   - message: The `error` text. Default: `Uh oh, something has gone wrong. Please tweet us @randomapi about
    ///     the issue. Thank you.`
    ///   - status: The HTTP status. Default: 200.
    public static func errorBody(
        _ message: String = "Uh oh, something has gone wrong. Please tweet us @randomapi about the issue. Thank you.",
        status: Int = 200
    ) -> FakeResponse {
        FakeResponse(.status(status, body: Self.errorJSON(message), headers: []))
    }

    /// A normal page, sent only after `delay`.
    ///
    /// - Parameter delay: How long to wait before answering.
    public static func slow(_ delay: Duration) -> FakeResponse {
        FakeResponse(.slow(delay))
    }

    /// A short name for logs and test output.
    public var description: String {
        switch self.kind {
        case .normal: "normal"
        case .hang: "hang"
        case .emptyPage: "emptyPage"
        case .malformedJSON: "malformedJSON"
        case .closeConnection: "closeConnection"
        case .status(let code, _, _): "status(\(code))"
        case .slow(let delay): "slow(\(delay))"
        }
    }

    static func errorJSON(_ message: String) -> String {
        var escaped = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default:
                if scalar.value < 0x20 {
                    escaped += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return "{\"error\":\"\(escaped)\"}"
    }
}
