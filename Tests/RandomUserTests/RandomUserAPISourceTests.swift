import Foundation
import RandomUser
import RandomUserTesting
import Testing

/// Runs `body` with a started fake server and shuts it down afterwards.
func withFakeServer<T>(
    configuration: FakeRandomUserServer.Configuration = .init(),
    _ body: (FakeRandomUserServer) async throws -> T
) async throws -> T {
    let server = FakeRandomUserServer(configuration: configuration)
    try await server.start()
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

/// An API source for tests: the fake server's URL, a seed, the test clock, quick timeouts, no rate limit.
func testSource(
    _ server: FakeRandomUserServer,
    clock: TestClock,
    maxAttempts: Int = 4,
    timeout: Duration = .seconds(60)
) -> RandomUserAPISource {
    var configuration = RandomUserAPISource.Configuration(baseURL: server.baseURL, seed: "fake")
    configuration.retry = .init(maxAttempts: maxAttempts, baseDelay: .milliseconds(200), maxDelay: .seconds(2))
    configuration.requestTimeout = timeout
    configuration.rateLimit = nil
    return RandomUserAPISource(configuration: configuration, clock: clock.sourceClock)
}

@Suite("The HTTP source against the fake API on 127.0.0.1")
struct RandomUserAPISourceTests {
    @Test("a normal page arrives split into one compact message per user, keyed by uuid")
    func normalPage() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            let source = testSource(server, clock: clock)
            let page = try await source.fetch(count: 25, page: 2)
            #expect(page.users.count == 25)
            #expect(page.page == 2 && page.seed == "fake")
            #expect(page.fetchedAt == 1_767_225_600_000)
            // The same bytes the generator makes for that seed and page.
            let expected = SyntheticUserGenerator(configuration: .init(seed: "fake")).users(page: 2, count: 25)
            #expect(page.users == expected)
            #expect(page.users.allSatisfy { $0.key.count == 36 })
            #expect(server.requests.map(\.uri) == ["/api/1.4/?results=25&seed=fake&page=2"])
            #expect(clock.sleeps.isEmpty)
        }
    }

    @Test("429 with Retry-After is honoured (the delay asked for is slept), then the page arrives")
    func rateLimitedThenSuccess() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            server.enqueue(.tooManyRequests(retryAfter: "7"))
            server.enqueue(.tooManyRequests(retryAfter: "Thu, 01 Jan 2026 00:00:19 GMT"))
            let page = try await testSource(server, clock: clock).fetch(count: 3, page: 1)
            #expect(page.users.count == 3)
            #expect(server.requestCount == 3)
            // 7 s; then the date is 19 s after the clock's wall time of 00:00:07.
            #expect(clock.sleeps == [.seconds(7), .seconds(12)])
        }
    }

    @Test("500 and 503 are retried with backoff, then the page arrives")
    func serverErrorThenSuccess() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            server.enqueue(.status(500))
            server.enqueue(.status(503))
            let page = try await testSource(server, clock: clock).fetch(count: 4, page: 1)
            #expect(page.users.count == 4)
            #expect(server.requestCount == 3)
            #expect(server.requestedResults == [4, 4, 4])
            #expect(clock.sleeps.count == 2)
            #expect(clock.sleeps[0] <= .milliseconds(200) && clock.sleeps[1] <= .milliseconds(400))
        }
    }

    @Test("a hanging response times out and the retry succeeds")
    func hangThenRetry() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            server.enqueue(.hang)
            let source = testSource(server, clock: clock, timeout: .seconds(1))
            let page = try await source.fetch(count: 2, page: 1)
            #expect(page.users.count == 2)
            #expect(server.requestCount == 2)
            #expect(clock.sleeps.count == 1)
        }
    }

    @Test("a server that always hangs ends in a timeout error that says so")
    func hangForever() async throws {
        try await withFakeServer { server in
            server.enqueue(.hang, times: 10)
            let source = testSource(server, clock: TestClock(), maxAttempts: 2, timeout: .seconds(1))
            let error = try await #require(throws: RandomUserError.self) { try await source.fetch(count: 2, page: 1) }
            #expect(error.code == .timeout)
            #expect(error.attempts == 2)
            #expect(server.requestCount == 2)
        }
    }

    @Test("an error body with 200 becomes an API error carrying the API's text, without retrying")
    func errorBody() async throws {
        try await withFakeServer { server in
            server.enqueue(.errorBody("Uh oh, something has gone wrong. Please tweet us @randomapi"))
            let source = testSource(server, clock: TestClock())
            let error = try await #require(throws: RandomUserError.self) { try await source.fetch(count: 2, page: 1) }
            #expect(error.code == .apiError)
            #expect(error.apiMessage == "Uh oh, something has gone wrong. Please tweet us @randomapi")
            #expect(error.description.contains("Uh oh, something has gone wrong"))
            #expect(error.status == 200 && error.attempts == 1)
            #expect(server.requestCount == 1)
        }
    }

    @Test("an empty results page is an empty UserPage, not an error")
    func emptyPage() async throws {
        try await withFakeServer { server in
            server.enqueue(.emptyPage)
            let page = try await testSource(server, clock: TestClock()).fetch(count: 10, page: 1)
            #expect(page.users.isEmpty)
            #expect(server.requestCount == 1)
        }
    }

    @Test("when retries run out the error has the code, status, attempt count and the API's message")
    func retriesExhausted() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            server.enqueue(.tooManyRequests(retryAfter: "1"), times: 5)
            let source = testSource(server, clock: clock, maxAttempts: 3)
            let error = try await #require(throws: RandomUserError.self) { try await source.fetch(count: 2, page: 1) }
            #expect(error.code == .rateLimited)
            #expect(error.status == 429)
            #expect(error.attempts == 3)
            #expect(error.description.contains("after 3 attempts"))
            #expect(error.apiMessage?.hasPrefix("Whoa, ease up there cowboy") == true)
            #expect(server.requestCount == 3)
            #expect(clock.sleeps == [.seconds(1), .seconds(1)])
        }
    }

    @Test("malformed JSON and dropped connections are retried; 404 is not")
    func otherFailures() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            server.enqueue(.malformedJSON)
            server.enqueue(.closeConnection)
            server.enqueue(.slow(.milliseconds(50)))
            let page = try await testSource(server, clock: clock).fetch(count: 5, page: 1)
            #expect(page.users.count == 5)
            #expect(server.requestCount == 3)

            server.enqueue(.status(404, body: #"{"error":"no such page"}"#))
            let error = try await #require(throws: RandomUserError.self) {
                try await testSource(server, clock: clock).fetch(count: 5, page: 1)
            }
            #expect(error.code == .apiError && error.status == 404 && error.attempts == 1)
            #expect(error.apiMessage == "no such page")
        }
    }

    @Test("counts above 5,000 are clamped; paging through the server asks for 5,000 then the rest")
    func pagingOverHTTP() async throws {
        try await withFakeServer { server in
            let source = testSource(server, clock: TestClock())
            let pages = try await source.fetch(total: 5300)
            #expect(pages.map(\.users.count) == [5000, 300])
            #expect(server.requestedResults == [5000, 300])
            #expect(server.requests.map(\.page) == [1, 2])
            #expect(try await source.fetch(count: 6000, page: 3).users.count == 5000)
            #expect(server.requestedResults.last == 5000)
        }
    }

    @Test("the rate limiter delays a request that would exceed the budget")
    func rateLimiterInSource() async throws {
        try await withFakeServer { server in
            let clock = TestClock()
            var configuration = RandomUserAPISource.Configuration(baseURL: server.baseURL, seed: "rl")
            configuration.rateLimit = .init(users: 100, window: .seconds(60))
            let source = RandomUserAPISource(configuration: configuration, clock: clock.sourceClock)
            _ = try await source.fetch(count: 80, page: 1)
            #expect(clock.sleeps.isEmpty)
            _ = try await source.fetch(count: 80, page: 2)
            #expect(clock.sleeps == [.seconds(60)])
            #expect(server.requestCount == 2)
        }
    }
}
