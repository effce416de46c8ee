import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Prometheus
import Serving
import Testing
import UsersContract

/// A backend with fixed answers: users `u01`…`u07`, stats, a readiness that can fail, a store that can fail.
final class FakeBackend: ServingBackend {
    let rows = (1...7).map { UserRow(userID: String(format: "u%02d", $0), email: "u\($0)@example.com", processedAt: 0) }
    let storeFails = NIOLockedValueBox(false)
    let notReady = NIOLockedValueBox(false)
    let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static let fixedStats: PipelineStats = {
        var stats = PipelineStats(status: .init(state: "running"), parts: ["ingest", "process"], uptimeSeconds: 12.5)
        stats.totals.stored = 980
        stats.totals.rejected = 20
        stats.latency.p50Ms = 7
        stats.rejectsByReason = ["missing_email": 20]
        stats.byCountry = ["Norway": 500, "other": 480]
        stats.lag.total = 3
        return stats
    }()

    func stats() async -> PipelineStats { Self.fixedStats }

    func readiness() async -> Readiness {
        Readiness(checks: [
            .init(name: "broker", ok: true, detail: "answered"),
            .init(name: "consumer", ok: !notReady.withLockedValue { $0 }, detail: "no partitions assigned"),
        ])
    }

    func metrics() async -> String { registry.emitToString() }

    func user(id: String) async throws -> UserRow? {
        if storeFails.withLockedValue({ $0 }) { throw CocoaError(.fileReadUnknown) }
        return rows.first { $0.userID == id }
    }

    func users(after: String?, limit: Int) async throws -> [UserRow] {
        if storeFails.withLockedValue({ $0 }) { throw CocoaError(.fileReadUnknown) }
        return Array(rows.filter { $0.userID > (after ?? "") }.prefix(limit))
    }
}

@Suite("HTTP routes: status codes, JSON shapes, pagination, the token rule, 4xx on bad input")
struct ServingRoutesTests {
    private func application(token: String? = nil, maxPageSize: Int = 500) -> (some ApplicationProtocol, FakeBackend) {
        let registry = PrometheusCollectorRegistry()
        let backend = FakeBackend(registry: registry)
        var configuration = ServingConfiguration(host: "127.0.0.1", port: 0, token: token)
        configuration.maxPageSize = maxPageSize
        let router = ServingRoutes.router(
            backend: backend, configuration: configuration, metricsFactory: PrometheusMetricsFactory(registry: registry))
        return (Application(router: router), backend)
    }

    private func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("/health and /ready: 200, or 503 naming the failed check")
    func healthAndReady() async throws {
        let (app, backend) = application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try json(response)
                #expect(answer["ready"] as? Bool == true)
            }
            backend.notReady.withLockedValue { $0 = true }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let checks = try #require(try json(response)["checks"] as? [[String: Any]])
                #expect(checks.contains { $0["name"] as? String == "consumer" && $0["ok"] as? Bool == false })
            }
        }
    }

    @Test("/api/stats: snake_case JSON that decodes back to the backend's figures")
    func stats() async throws {
        let (app, _) = application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/stats", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let text = String(buffer: response.body)
                #expect(text.contains(#""uptime_seconds":12.5"#))
                #expect(text.contains(#""rejects_by_reason":{"missing_email":20}"#))
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                let decoded = try decoder.decode(PipelineStats.self, from: Data(buffer: response.body))
                #expect(decoded == FakeBackend.fixedStats)
            }
        }
    }

    @Test("/api/users/{id}: the row, 404 for none, 400 for an id that cannot be one, 503 when the store cannot answer")
    func userByID() async throws {
        let (app, backend) = application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/users/u03", method: .get) { response in
                #expect(response.status == .ok)
                let row = try json(response)
                #expect(row["user_id"] as? String == "u03")
            }
            try await client.execute(uri: "/api/users/U03", method: .get) { response in
                #expect(response.status == .ok, "ids are matched lower-case, as the store keys them")
            }
            try await client.execute(uri: "/api/users/u99", method: .get) { #expect($0.status == .notFound) }
            for bad in ["a%20b", "%3Cscript%3E", String(repeating: "x", count: 129)] {
                try await client.execute(uri: "/api/users/\(bad)", method: .get) { #expect($0.status == .badRequest, "\(bad)") }
            }
            backend.storeFails.withLockedValue { $0 = true }
            try await client.execute(uri: "/api/users/u03", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
    }

    @Test("/api/users: keyset pages in id order, next until the last page, limit bounds and bad cursors are 400")
    func pages() async throws {
        let (app, _) = application(maxPageSize: 5)
        try await app.test(.router) { client in
            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let uri = "/api/users?limit=3" + (after.map { "&after=\($0)" } ?? "")
                let page = try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    return try json(response)
                }
                let users = try #require(page["users"] as? [[String: Any]])
                seen += users.compactMap { $0["user_id"] as? String }
                after = page["next"] as? String
                pages += 1
            } while after != nil && pages < 10
            #expect(seen == (1...7).map { String(format: "u%02d", $0) })
            #expect(pages == 3)
            try await client.execute(uri: "/api/users", method: .get) { response in
                let page = try json(response)
                #expect((page["users"] as? [Any])?.count == 5, "the default, capped at the maximum")
            }
            for bad in ["limit=0", "limit=6", "limit=abc", "limit=-1", "after=a%20b"] {
                try await client.execute(uri: "/api/users?\(bad)", method: .get) { #expect($0.status == .badRequest, "\(bad)") }
            }
        }
    }

    @Test("unknown routes and methods are 4xx, never 500; the dashboard is HTML with no outside address")
    func unknownAndDashboard() async throws {
        let (app, _) = application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/stats", method: .post) { response in
                #expect((400..<500).contains(response.status.code))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                #expect(page.contains("api/stats"))
                #expect(!page.contains("http://") && !page.contains("https://"), "the page loads nothing from outside")
            }
        }
    }

    @Test("with a token: /health is open; every other route needs Authorization: Bearer <token>")
    func token() async throws {
        let (app, _) = application(token: "t0k3n")
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            for uri in ["/ready", "/metrics", "/api/stats", "/api/users/u01", "/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer wrong"]) {
                    #expect($0.status == .unauthorized, "\(uri)")
                }
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer t0k3n"]) {
                    #expect($0.status == .ok, "\(uri)")
                }
            }
        }
        // Beyond loopback, no token is a configuration error.
        #expect(throws: ServingError.self) {
            _ = try HTTPServer(
                configuration: .init(host: "0.0.0.0", port: 0), backend: FakeBackend(registry: .init()),
                metricsFactory: PrometheusMetricsFactory())
        }
    }

    @Test("requests are counted by route template and status, with no client-chosen label")
    func requestMetrics() async throws {
        let (app, _) = application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/users/u01", method: .get) { _ in }
            try await client.execute(uri: "/api/users/u02", method: .get) { _ in }
            try await client.execute(uri: "/api/users/u99", method: .get) { _ in }
            try await client.execute(uri: "/no/such/path/\(UUID())", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"userstream_http_requests_total{route="/api/users/{id}",method="GET",status="200"} 2"#))
                #expect(text.contains(#"userstream_http_requests_total{route="/api/users/{id}",method="GET",status="404"} 1"#))
                #expect(text.contains(#"userstream_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
                #expect(!text.contains("u01") && !text.contains("no/such"))
                #expect(text.contains("userstream_http_request_duration_seconds_bucket"))
            }
        }
    }
}
