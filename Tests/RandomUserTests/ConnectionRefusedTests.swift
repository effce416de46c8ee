@testable import RandomUser
import RandomUserTesting
import Synchronization
import TestWaiting
import Testing

@Suite("The HTTP source against a closed port")
struct ConnectionRefusedTests {
    /// A port on 127.0.0.1 that nothing listens on: the fake server's, once it has stopped.
    private func closedPort() async throws -> Int {
        let server = FakeRandomUserServer()
        let port = try await server.start()
        try await server.shutdown()
        return port
    }

    @Test("a refused connection fails each attempt at once: N attempts take the backoff delays, not N timeouts")
    func refusedFailsFast() async throws {
        let port = try await self.closedPort()
        let sleeps = Mutex<[Duration]>([])
        let system = SourceClock.system
        let clock = SourceClock(now: system.now, wallMilliseconds: system.wallMilliseconds) { duration in
            sleeps.withLock { $0.append(duration) }
            try await system.sleep(duration)
        }
        var configuration = RandomUserAPISource.Configuration(baseURL: "http://127.0.0.1:\(port)/api/1.4/", seed: "x")
        configuration.retry = .init(maxAttempts: 4, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200))
        configuration.requestTimeout = .seconds(120)
        configuration.rateLimit = nil
        let source = RandomUserAPISource(configuration: configuration, clock: clock)

        let started = ContinuousClock.now
        let outcome = try await withDeadline(.seconds(90)) { () async -> Result<UserPage, any Error> in
            do {
                return .success(try await source.fetch(count: 10, page: 1))
            } catch {
                return .failure(error)
            }
        }
        let elapsed = ContinuousClock.now - started

        let error = try #require(throws: RandomUserError.self) { try outcome.get() }
        #expect(error.code == .connectionFailed)
        #expect(error.attempts == 4)
        #expect(error.message.contains("connection refused"))
        #expect(error.message.contains("127.0.0.1:\(port)"))
        // Three backoff waits of at most 50, 100 and 200 ms between the four attempts, and little else.
        let waits = sleeps.withLock { $0 }
        #expect(waits.count == 3)
        #expect(waits.allSatisfy { $0 <= .milliseconds(200) })
        // One attempt held to the 120 s request timeout would pass this bound; a loaded machine stays well under it.
        #expect(elapsed < .seconds(60))
    }

    @Test(
        "a connect error names the URL's host and port, with the scheme's port when the URL has none",
        arguments: [
            ("http://127.0.0.1:8080/api/1.4/?results=1", "127.0.0.1:8080"),
            ("https://randomuser.me/api/1.4/?results=5&seed=s", "randomuser.me:443"),
            ("http://user:pw@example.com?x=1", "example.com:80"),
            ("http://[::1]:9000/api", "[::1]:9000"),
            ("http://[::1]/api", "[::1]:80"),
        ]
    )
    func hostAndPort(url: String, expected: String) {
        #expect(ConnectFailure.hostAndPort(of: url) == expected)
    }
}
