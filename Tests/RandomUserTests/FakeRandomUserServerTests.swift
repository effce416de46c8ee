import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RandomUser
import RandomUserTesting
import Testing

@Suite("The fake RandomUser server")
struct FakeRandomUserServerTests {
    @Test("a pretty-printed page reaches the topic as the same compact bytes as a compact one")
    func prettyPrintedPages() async throws {
        var configuration = FakeRandomUserServer.Configuration()
        configuration.prettyPrinted = true
        try await withFakeServer(configuration: configuration) { server in
            let page = try await testSource(server, clock: TestClock()).fetch(count: 40, page: 5)
            let expected = SyntheticUserGenerator(configuration: .init(seed: "fake")).users(page: 5, count: 40)
            #expect(page.users == expected)
        }
    }

    @Test("bad elements in a page (non-objects, missing or bad uuid) are kept as messages for the processor")
    func badElementsKept() async throws {
        var configuration = FakeRandomUserServer.Configuration()
        configuration.badFraction = 0.3
        try await withFakeServer(configuration: configuration) { server in
            let page = try await testSource(server, clock: TestClock()).fetch(count: 300, page: 1)
            var generator = SyntheticUserGenerator.Configuration(seed: "fake", badFraction: 0.3)
            generator.allowsNotJSON = false
            #expect(page.users == SyntheticUserGenerator(configuration: generator).users(page: 1, count: 300))
            let nonObjects = page.users.filter { $0.value.first != UInt8(ascii: "{") }
            #expect(nonObjects.count > 10)
            #expect(nonObjects.allSatisfy { $0.key.isEmpty })
            #expect(page.users.filter { $0.key.isEmpty }.count > nonObjects.count)
        }
    }

    @Test("the API's parameter rules: results outside 1...5000 gives 1 user; a missing seed gets a 16-hex seed")
    func parameterRules() async throws {
        try await withFakeServer { server in
            for results in ["0", "5001", "abc"] {
                let url = URL(string: server.baseURL + "?results=\(results)")!
                let (data, _) = try await URLSession.shared.data(from: url)
                let response = try RandomUserResponse.parse(Array(data))
                #expect(response.results?.count == 1)
                #expect(response.seed?.count == 16)
            }
            #expect(server.requestedResults == [0, 5001, nil])
        }
    }

    @Test("nat filters the generated nationalities; unknown paths get 404")
    func natAndPaths() async throws {
        try await withFakeServer { server in
            let url = URL(string: server.baseURL + "?results=50&seed=n&nat=no,ca")!
            let (data, _) = try await URLSession.shared.data(from: url)
            let users = try #require(try RandomUserResponse.parse(Array(data)).results)
            for user in users {
                let object = try #require(try foundationJSON(user.value) as? [String: Any])
                #expect(["NO", "CA"].contains(object["nat"] as? String ?? ""))
            }
            let port = try #require(server.port)
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/other")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 404)
            #expect(server.requestCount == 1)
        }
    }

    @Test("run() serves until cancelled, then shuts down")
    func runUntilCancelled() async throws {
        var configuration = FakeRandomUserServer.Configuration()
        configuration.port = 0
        let server = FakeRandomUserServer(configuration: configuration)
        let task = Task { try await server.run() }
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = server.port
            if port == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(port != nil)
        let page = try await testSource(server, clock: TestClock()).fetch(count: 1, page: 1)
        #expect(page.users.count == 1)
        task.cancel()
        try await task.value
        let error = await #expect(throws: RandomUserError.self) {
            try await testSource(server, clock: TestClock(), maxAttempts: 1, timeout: .milliseconds(500))
                .fetch(count: 1, page: 1)
        }
        // async-http-client keeps retrying a refused connection until the deadline, so either code can come first.
        #expect(error?.code == .connectionFailed || error?.code == .timeout)
    }
}
