import Testing

@testable import RandomUser

@Suite("Sources and paging")
struct UserSourceTests {
    @Test("--source picks the API, the generator or a URL; anything else is a clear error")
    func selector() throws {
        let api = try #require(try SourceSelector.make("randomuser", seed: "s") as? RandomUserAPISource)
        #expect(api.name == "https://randomuser.me/api/1.4/")
        #expect(api.configuration.seed == "s")
        #expect(try SourceSelector.make(" Synthetic ", seed: "x", badFraction: 0.02) is SyntheticUserSource)
        let synthetic = try #require(try SourceSelector.make("synthetic", seed: "x", badFraction: 0.02) as? SyntheticUserSource)
        #expect(synthetic.generator.configuration.badFraction == 0.02)
        #expect(try SourceSelector.make("http://127.0.0.1:8080/api/1.4/").name == "http://127.0.0.1:8080/api/1.4/")
        let error = try #require(throws: RandomUserError.self) { try SourceSelector.make("ftp://example.com") }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("ftp://example.com"))
    }

    @Test("the request URL carries results, seed, page and the pass-through filters, encoded")
    func requestURL() {
        var configuration = RandomUserAPISource.Configuration(baseURL: "http://127.0.0.1:9/api/1.4/", seed: "a b&c")
        configuration.nationalities = ["us", "gb"]
        configuration.exclude = ["login"]
        let source = RandomUserAPISource(configuration: configuration)
        #expect(
            source.requestURL(count: 10, page: 2)
                == "http://127.0.0.1:9/api/1.4/?results=10&seed=a%20b%26c&page=2&nat=us,gb&exc=login")
    }

    @Test("paging splits a total into pages of at most the page size and stops at an empty page")
    func paging() async throws {
        let source = SyntheticUserSource(configuration: .init(seed: "p"))
        let pages = try await source.fetch(total: 12_345)
        #expect(pages.map(\.users.count) == [5000, 5000, 2345])
        #expect(pages.map(\.page) == [1, 2, 3])
        let small = try await source.fetch(total: 7, pageSize: 3, firstPage: 10)
        #expect(small.map(\.users.count) == [3, 3, 1])
        #expect(small.map(\.page) == [10, 11, 12])
        #expect(try await EmptySource().fetch(total: 100).isEmpty)
    }

    @Test("retries back off exponentially from the base to the cap, with full jitter")
    func backoff() {
        let retry = RandomUserAPISource.Retry(baseDelay: .milliseconds(500), maxDelay: .seconds(5))
        #expect(retry.backoff.base == .milliseconds(500) && retry.backoff.cap == .seconds(5))
        #expect(retry.backoff.jitter == .full)
        #expect(
            [1, 2, 4, 5, 60].map(retry.backoff.ceiling(forAttempt:))
                == [.milliseconds(500), .seconds(1), .seconds(4), .seconds(5), .seconds(5)])
    }
}

/// A source that never has anything.
private struct EmptySource: UserSource {
    var name: String { "empty" }
    func fetch(count: Int, page: Int) async throws -> UserPage { UserPage(users: [], fetchedAt: 0, page: page) }
}
