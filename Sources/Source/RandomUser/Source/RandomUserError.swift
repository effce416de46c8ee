/// An error of a RandomUser source: what went wrong, the HTTP status if any, how many attempts were made and the
/// API's own message when it sent one.
public struct RandomUserError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case rateLimited
            case serverError
            case apiError
            case timeout
            case connectionFailed
            case invalidResponse
            case httpStatus
            case invalidConfiguration
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// HTTP 429: the API's limit (20,000 users per 5 minutes per address) was hit, and retries did not help.
        public static let rateLimited = Code(.rateLimited)
        /// HTTP 5xx (500, 502, 503, 504 during outages), and retries did not help.
        public static let serverError = Code(.serverError)
        /// The API answered with an `{"error": "..."}` body; ``RandomUserError/apiMessage`` holds its text.
        public static let apiError = Code(.apiError)
        /// The request did not complete within the per-request timeout, and retries did not help.
        public static let timeout = Code(.timeout)
        /// The connection could not be made or broke, and retries did not help.
        public static let connectionFailed = Code(.connectionFailed)
        /// The body was not a JSON object with a `results` array (malformed, truncated or of another shape).
        public static let invalidResponse = Code(.invalidResponse)
        /// An unexpected HTTP status that is not retried (for example 400 or 404).
        public static let httpStatus = Code(.httpStatus)
        /// The source was configured with something unusable (a bad URL or source name).
        public static let invalidConfiguration = Code(.invalidConfiguration)

        /// A short name of the code.
        public var description: String {
            switch self.backing {
            case .rateLimited: "rate limited"
            case .serverError: "server error"
            case .apiError: "API error"
            case .timeout: "timeout"
            case .connectionFailed: "connection failed"
            case .invalidResponse: "invalid response"
            case .httpStatus: "unexpected HTTP status"
            case .invalidConfiguration: "invalid configuration"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human description of the failure (includes the API's message when there is one).
    public var message: String
    /// The `error` text the API sent, if it sent one.
    public var apiMessage: String?
    /// The HTTP status of the last response, if one arrived.
    public var status: Int?
    /// How many requests were made before giving up (0 when none was made).
    public var attempts: Int
    /// The URL of the last request, if any.
    public var url: String?
    /// The underlying error (a transport error, for example), if any.
    public var underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A human description.
    ///   - apiMessage: The API's `error` text, if any.
    ///   - status: The last HTTP status, if any.
    ///   - attempts: Requests made. Default: 0.
    ///   - url: The last request's URL, if any.
    ///   - underlying: The underlying error, if any.
    public init(
        code: Code,
        message: String,
        apiMessage: String? = nil,
        status: Int? = nil,
        attempts: Int = 0,
        url: String? = nil,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.apiMessage = apiMessage
        self.status = status
        self.attempts = attempts
        self.url = url
        self.underlying = underlying
    }

    /// One line: code, message, status, attempts and URL.
    public var description: String {
        var text = "RandomUserError(\(self.code)): \(self.message)"
        if let status = self.status { text += "; HTTP status \(status)" }
        if self.attempts > 0 { text += "; after \(self.attempts) attempt\(self.attempts == 1 ? "" : "s")" }
        if let url = self.url { text += "; url \(url)" }
        return text
    }
}
