import AsyncHTTPClient
import Logging
import NIOCore

/// The RandomUser HTTP API as a ``UserSource``: `GET <base>?results=N&seed=S&page=P` over async-http-client
/// (HTTPS through NIOSSL), with retries, a client-side rate limit and a per-request timeout.
///
/// Each page's `results` array is split into one compact JSON message per user without decoding the values
/// (see ``RandomUserResponse``), keyed by `login.uuid`.
public struct RandomUserAPISource: UserSource {
    /// The public API, version 1.4: `https://randomuser.me/api/1.4/`.
    public static let defaultBaseURL = "https://randomuser.me/api/1.4/"

    /// The settings the source was made with.
    public let configuration: Configuration
    let httpClient: HTTPClient
    let clock: SourceClock
    let rateLimiter: UserRateLimiter?
    let logger: Logger

    /// The base URL: the value of the `source` header.
    public var name: String { self.configuration.baseURL }

    /// The client sources use unless given another: `HTTPClient.shared`'s settings, except that a connection that
    /// cannot be made (refused, unreachable, unresolvable) fails the request at once instead of being retried by the
    /// client's pool until the request's deadline, so the source's own ``Retry`` settings alone decide when to try
    /// again. It lives as long as the process, like `HTTPClient.shared`, and is never shut down.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - configuration: URL, parameters, timeout, retries and rate limit.
    ///   - httpClient: The client to use (not shut down by the source). ``sharedHTTPClient`` fails a refused
    ///     connection at once. A client of your own is used as it is: give
    ///     it `connectionPool.retryConnectionEstablishment = false`, or its pool retries a refused connection until
    ///     the request timeout. Default: ``sharedHTTPClient``.
    ///   - clock: Time and sleeping, for backoff and rate-limit waits. Default: ``SourceClock/system``.
    ///   - rateLimiter: A limiter to share with other sources of the same address; nil makes one from
    ///     `configuration.rateLimit` (or none when that is nil). Default: nil.
    ///   - logger: Where retries are logged. Default: a logger labelled `RandomUser`.
    public init(
        configuration: Configuration = Configuration(),
        httpClient: HTTPClient = RandomUserAPISource.sharedHTTPClient,
        clock: SourceClock = .system,
        rateLimiter: UserRateLimiter? = nil,
        logger: Logger = Logger(label: "RandomUser")
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.clock = clock
        self.rateLimiter =
            rateLimiter ?? configuration.rateLimit.map { UserRateLimiter(configuration: $0, clock: clock) }
        self.logger = logger
    }

    /// Fetches one page, retrying as ``Configuration-swift.struct/retry`` says.
    ///
    /// - Parameters:
    ///   - count: Users to ask for, clamped to `1...maxPageSize`; zero or less returns an empty page at once.
    ///   - page: The 1-based page number.
    /// - Returns: The page; an empty `results` array gives an empty page.
    /// - Throws: ``RandomUserError`` (with status, attempts and the API's message) or `CancellationError`.
    public func fetch(count: Int, page: Int) async throws -> UserPage {
        guard count > 0 else {
            return UserPage(users: [], fetchedAt: self.clock.wallMilliseconds(), seed: self.configuration.seed,
                            page: page)
        }
        let count = min(count, max(1, self.configuration.maxPageSize))
        let url = self.requestURL(count: count, page: page)
        let retry = self.configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            if let rateLimiter = self.rateLimiter {
                let waited = try await rateLimiter.acquire(count)
                if waited > .zero {
                    self.logger.debug("rate limit wait", metadata: ["wait_s": "\(waited.seconds)"])
                }
            }
            let outcome = try await self.attempt(url: url, page: page)
            switch outcome {
            case .page(let result):
                return result
            case .fail(var error):
                error.attempts = attempt
                error.url = url
                throw error
            case .retry(var error, let retryAfter):
                error.attempts = attempt
                error.url = url
                guard attempt < max(1, retry.maxAttempts) else { throw error }
                let delay = retryAfter.map { min($0, retry.maxRetryAfter) } ?? retry.backoff.delay(forAttempt: attempt)
                self.logger.warning(
                    "RandomUser request failed, retrying",
                    metadata: [
                        "url": "\(url)", "attempt": "\(attempt)", "error": "\(error.code)",
                        "status": "\(error.status.map(String.init) ?? "-")", "delay_s": "\(delay.seconds)",
                    ]
                )
                try await self.clock.sleep(delay)
            }
        }
    }

    /// The URL of one request: the base URL plus `results`, `page`, `seed`, `nat`, `inc` and `exc`.
    ///
    /// - Parameters:
    ///   - count: The `results` value.
    ///   - page: The `page` value.
    /// - Returns: The full URL string.
    public func requestURL(count: Int, page: Int) -> String {
        var query: [(String, String)] = [("results", String(count))]
        if let seed = self.configuration.seed { query.append(("seed", seed)) }
        query.append(("page", String(page)))
        if !self.configuration.nationalities.isEmpty {
            query.append(("nat", self.configuration.nationalities.joined(separator: ",")))
        }
        if !self.configuration.include.isEmpty { query.append(("inc", self.configuration.include.joined(separator: ","))) }
        if !self.configuration.exclude.isEmpty { query.append(("exc", self.configuration.exclude.joined(separator: ","))) }
        let base = self.configuration.baseURL
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + query.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters and `,`.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ","):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return out
    }
}
