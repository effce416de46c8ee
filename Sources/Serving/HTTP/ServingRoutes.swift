import Foundation
import Hummingbird
import Metrics
import StreamJSON
import UsersContract

/// The routes of the HTTP face:
///
/// | route | answer |
/// | --- | --- |
/// | `GET /health` | 200 `{"status":"ok"}` while the process runs (never needs the token) |
/// | `GET /ready` | 200 when the broker and the store answer and the consumer has partitions, else 503; both with every check |
/// | `GET /metrics` | the Prometheus text exposition |
/// | `GET /api/stats` | ``PipelineStats`` |
/// | `GET /api/users/{id}` | one stored user, 404 when none |
/// | `GET /api/users?limit=&after=` | `{"users":[…],"next":"<id>"|null}` in id order: keyset pagination, `limit` 1…500 (default 50) |
/// | `GET /`, `GET /dashboard` | the dashboard page |
///
/// A malformed request gets 400, an unknown route 404, a store that cannot answer 503; never 500.
public enum ServingRoutes {
    /// The router for `backend`, with the token rule and request metrics of `configuration`.
    public static func router(
        backend: any ServingBackend, configuration: ServingConfiguration, metricsFactory: any MetricsFactory
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(factory: metricsFactory))
        if let token = configuration.token {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        router.get("/health") { _, _ in json(Data(#"{"status":"ok"}"#.utf8)) }
        router.head("/health") { _, _ in Response(status: .ok) }
        router.get("/ready") { _, _ in
            let readiness = await backend.readiness()
            return try json(encoder.encode(readiness), status: readiness.ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await backend.metrics())))
        }
        router.get("/api/stats") { _, _ in try json(encoder.encode(await backend.stats())) }
        router.get("/api/users/:id") { _, context in
            let id = try userID(context.parameters.get("id") ?? "", name: "the user id")
            guard let row = try await storeAnswer({ try await backend.user(id: id) }) else {
                throw HTTPError(.notFound, message: "no user \(id)")
            }
            return json(Data(RowJSON.encode(row)))
        }
        router.get("/api/users") { request, _ in
            let query = request.uri.queryParameters
            let limit = try pageLimit(query.get("limit"), maximum: configuration.maxPageSize)
            let after = try query.get("after").map { try userID($0, name: "after") }
            let rows = try await storeAnswer { try await backend.users(after: after, limit: limit) }
            var out = Array(#"{"users":["#.utf8)
            for (index, row) in rows.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                RowJSON.encode(row, into: &out)
            }
            out += Array(#"],"next":"#.utf8)
            if rows.count == limit, let last = rows.last {
                JSONWriter.writeString(last.userID, into: &out)
            } else {
                out += Array("null".utf8)
            }
            out.append(UInt8(ascii: "}"))
            return json(Data(out))
        }
        for path in ["/", "/dashboard"] {
            router.get(RouterPath(path)) { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: DashboardPage.html)))
            }
        }
        return router
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A user id as the store keys it (lower-case, at most 128 bytes of letters, digits, `-`, `_`, `.`), else 400.
    static func userID(_ text: String, name: String) throws -> String {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !text.isEmpty, text.utf8.count <= 128, allowed else {
            throw HTTPError(.badRequest, message: "\(name) must be 1 to 128 letters, digits, '-', '_' or '.'")
        }
        return text.lowercased()
    }

    /// `limit`: absent → 50; an integer 1…maximum, else 400.
    static func pageLimit(_ text: String?, maximum: Int) throws -> Int {
        guard let text else { return min(50, maximum) }
        guard let value = Int(text), value >= 1, value <= maximum else {
            throw HTTPError(.badRequest, message: "limit must be an integer from 1 to \(maximum)")
        }
        return value
    }

    /// Runs a store read; a store that cannot answer is 503 (the pipeline waits for it), never 500.
    static func storeAnswer<T: Sendable>(_ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.serviceUnavailable, message: "the store cannot answer now: \(error)")
        }
    }
}
