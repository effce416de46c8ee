import Testing

@testable import RandomUser

@Suite("Sources, headers and paging")
struct UserSourceTests {
    @Test("headers are source, fetched_at (RFC 3339 UTC ms) and schema")
    func headers() {
        let page = UserPage(users: [], fetchedAt: 1_409_375_984_274, page: 1)
        let headers = page.headers(for: SyntheticUserSource())
        #expect(headers.map(\.0) == ["source", "fetched_at", "schema"])
        #expect(headers.map(\.1.text) == ["synthetic", "2014-08-30T05:19:44.274Z", "randomuser/1.4"])
        let api: any UserSource = RandomUserAPISource(configuration: .init(baseURL: "http://127.0.0.1:1/api/1.4/"))
        #expect(page.headers(for: api).first?.1.text == "http://127.0.0.1:1/api/1.4/")
    }

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

    @Test("exponential backoff caps grow and stop at the maximum; jitter stays within the cap")
    func backoff() {
        let retry = RandomUserAPISource.Retry(baseDelay: .milliseconds(500), maxDelay: .seconds(5))
        #expect(retry.backoffCap(afterAttempt: 1) == .milliseconds(500))
        #expect(retry.backoffCap(afterAttempt: 2) == .seconds(1))
        #expect(retry.backoffCap(afterAttempt: 4) == .seconds(4))
        #expect(retry.backoffCap(afterAttempt: 5) == .seconds(5))
        #expect(retry.backoffCap(afterAttempt: 60) == .seconds(5))
        for attempt in 1...10 {
            let delay = retry.backoff(afterAttempt: attempt)
            #expect(delay >= .zero && delay <= retry.backoffCap(afterAttempt: attempt))
        }
    }
}

/// A source that never has anything.
private struct EmptySource: UserSource {
    var name: String { "empty" }
    func fetch(count: Int, page: Int) async throws -> UserPage { UserPage(users: [], fetchedAt: 0, page: page) }
}
