import Hummingbird
import Metrics

/// Counts requests by route template, method and status (`userstream_http_requests_total`) and times them
/// (`userstream_http_request_duration_seconds`). The route is the matched template (`/api/users/{id}`), or
/// `unmatched`: a label set bounded by the routes, never by what clients send.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context: context, status: status, since: start)
            return response
        } catch {
            record(request, context: context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let route = context.endpointPath.map(Self.template) ?? "unmatched"
        let method = knownMethods.contains(request.method) ? request.method.rawValue : "other"
        Counter(
            label: "userstream_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", "\(status.code)")], factory: factory
        ).increment()
        Metrics.Timer(
            label: "userstream_http_request_duration_seconds", dimensions: [("route", route)], factory: factory
        ).recordInterval(since: start)
    }

    /// `/api/users/:id` → `/api/users/{id}`; Hummingbird's "NotFound" → `unmatched`.
    static func template(_ path: String) -> String {
        guard path.hasPrefix("/") else { return "unmatched" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}

/// The methods counted by name; any other is `other`.
private let knownMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
