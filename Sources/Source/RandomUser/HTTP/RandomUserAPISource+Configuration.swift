import Backoff

extension RandomUserAPISource {
    /// Settings of the HTTP source.
    public struct Configuration: Sendable {
        /// The API base URL; the query is appended to it. Default: `https://randomuser.me/api/1.4/`.
        public var baseURL: String = RandomUserAPISource.defaultBaseURL
        /// The `seed` parameter: with a seed, pages are reproducible. Default: nil (the API picks one per request).
        public var seed: String?
        /// The `nat` parameter (nationalities such as `["us", "gb"]`). Default: empty (all).
        public var nationalities: [String] = []
        /// The `inc` parameter (fields to include). Default: empty (all).
        public var include: [String] = []
        /// The `exc` parameter (fields to exclude). Default: empty (none).
        public var exclude: [String] = []
        /// The largest `results` value sent; larger counts are clamped. Default: 5,000 (the API's own maximum).
        public var maxPageSize: Int = 5000
        /// How long one request (connect, head and whole body) may take before it counts as a timeout.
        /// Default: 30 s.
        public var requestTimeout: Duration = .seconds(30)
        /// The largest response body accepted. Default: 64 MiB (a 5,000-user page is about 5.5 MB).
        public var maxBodyBytes: Int = 64 * 1024 * 1024
        /// Retry settings.
        public var retry: Retry = Retry()
        /// The client-side rate limit; nil disables it. Default: 19,000 users per 300 s.
        public var rateLimit: UserRateLimiter.Configuration? = UserRateLimiter.Configuration()
        /// The `User-Agent` header. Default: `UserStream/1.0`.
        public var userAgent: String = "UserStream/1.0"

        /// Creates a configuration with the defaults.
        ///
        /// - Parameters:
        ///   - baseURL: The API base URL. Default: `https://randomuser.me/api/1.4/`.
        ///   - seed: The `seed` parameter. Default: nil.
        public init(baseURL: String = RandomUserAPISource.defaultBaseURL, seed: String? = nil) {
            self.baseURL = baseURL
            self.seed = seed
        }
    }

    /// When and how often a failed request is tried again.
    ///
    /// Timeouts, connection errors, 429, 5xx and malformed bodies are retried; other statuses and `{"error"}` bodies
    /// with a 2xx or 4xx status are not. The delay before attempt n+1 is `Retry-After` when a 429 or 503 carries
    /// one (seconds or an HTTP date, at most ``maxRetryAfter``), otherwise exponential backoff with full jitter:
    /// uniformly random in `0...min(maxDelay, baseDelay · 2^(n-1))`.
    ///
    /// A connection that cannot be made (refused, unreachable) ends its attempt at once, so N attempts against a
    /// closed port take about the sum of the backoff delays, not N request timeouts.
    public struct Retry: Sendable {
        /// Requests made at most, including the first. Default: 5.
        public var maxAttempts: Int = 5
        /// The backoff base. Default: 500 ms.
        public var baseDelay: Duration = .milliseconds(500)
        /// The backoff cap. Default: 30 s.
        public var maxDelay: Duration = .seconds(30)
        /// The longest `Retry-After` honoured; longer values are cut to it. Default: 300 s.
        public var maxRetryAfter: Duration = .seconds(300)

        /// Creates retry settings.
        ///
        /// - Parameters:
        ///   - maxAttempts: Requests made at most. Default: 5.
        ///   - baseDelay: The backoff base. Default: 500 ms.
        ///   - maxDelay: The backoff cap. Default: 30 s.
        ///   - maxRetryAfter: The longest `Retry-After` honoured. Default: 300 s.
        public init(
            maxAttempts: Int = 5,
            baseDelay: Duration = .milliseconds(500),
            maxDelay: Duration = .seconds(30),
            maxRetryAfter: Duration = .seconds(300)
        ) {
            self.maxAttempts = maxAttempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.maxRetryAfter = maxRetryAfter
        }

        /// The backoff between attempts: ``baseDelay`` doubled per failed attempt up to ``maxDelay``, with full jitter.
        public var backoff: Backoff {
            Backoff(base: self.baseDelay, cap: self.maxDelay, jitter: .full)
        }
    }
}
