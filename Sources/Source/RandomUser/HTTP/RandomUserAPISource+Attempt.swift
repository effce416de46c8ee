import AsyncHTTPClient
import NIOCore

extension RandomUserAPISource {
    /// What one request ended with.
    enum Outcome {
        /// A page (possibly empty).
        case page(UserPage)
        /// A failure worth another attempt, with the delay the server asked for, if any.
        case retry(RandomUserError, retryAfter: Duration?)
        /// A failure that retrying will not fix.
        case fail(RandomUserError)
    }

    /// Thrown by the timeout race when the request did not finish in time.
    private struct RequestTimedOut: Error {}

    /// A response as far as the source cares: status, headers and the whole body.
    private struct RawResponse: Sendable {
        var status: Int
        var retryAfter: String?
        var body: ByteBuffer
    }

    /// Makes one request and classifies its result.
    func attempt(url: String, page: Int) async throws -> Outcome {
        let response: RawResponse
        do {
            response = try await self.perform(url: url)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return Self.classify(transportError: error, url: url, timeout: self.configuration.requestTimeout)
        }
        return self.classify(response: response, page: page)
    }

    /// GETs `url` and collects the body, racing a timer that covers the whole exchange.
    private func perform(url: String) async throws -> RawResponse {
        let request = {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: self.configuration.userAgent)
            return request
        }()
        let timeout = self.configuration.requestTimeout
        let maxBodyBytes = self.configuration.maxBodyBytes
        let client = self.httpClient
        let logger = self.logger
        return try await withThrowingTaskGroup(of: RawResponse.self) { group in
            group.addTask {
                let deadline = NIODeadline.now() + .nanoseconds(Int64(min(timeout.seconds, 1e9) * 1e9))
                let response = try await client.execute(request, deadline: deadline, logger: logger)
                let body = try await response.body.collect(upTo: maxBodyBytes)
                return RawResponse(
                    status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                    body: body)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RequestTimedOut()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw RequestTimedOut() }
            return first
        }
    }

    /// Sorts a transport failure into timeout (retried), too large (not retried) or connection failure (retried).
    ///
    /// A connection that could not be made (refused, unreachable) fails at once and says so, naming the URL's
    /// `host:port`: the source's shared client does not hold it until the deadline.
    private static func classify(transportError error: any Error, url: String, timeout: Duration) -> Outcome {
        if error is RequestTimedOut {
            return .retry(
                RandomUserError(code: .timeout, message: "no complete response within \(timeout)"), retryAfter: nil)
        }
        if let httpError = error as? HTTPClientError {
            switch httpError {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .retry(
                    RandomUserError(code: .timeout, message: "request timed out (\(httpError))", underlying: error),
                    retryAfter: nil)
            case .invalidURL, .emptyHost, .emptyScheme:
                return .fail(
                    RandomUserError(code: .invalidConfiguration, message: "bad URL (\(httpError))", underlying: error))
            default:
                break
            }
        }
        if error is NIOTooManyBytesError {
            return .fail(RandomUserError(code: .invalidResponse, message: "response body too large", underlying: error))
        }
        if let failure = ConnectFailure(error, url: url) {
            return .retry(RandomUserError(code: .connectionFailed, message: failure.message, underlying: error),
                          retryAfter: nil)
        }
        return .retry(
            RandomUserError(code: .connectionFailed, message: "request failed: \(error)", underlying: error),
            retryAfter: nil)
    }

    /// Sorts a response by status and body.
    private func classify(response: RawResponse, page: Int) -> Outcome {
        let body = response.body.readableBytesView
        let parsed = Result { try RandomUserResponse.parse(body) }
        let apiMessage = (try? parsed.get())?.errorMessage
        let status = response.status
        let suffix = apiMessage.map { ": \($0)" } ?? ""
        switch status {
        case 429:
            let retryAfter = self.retryAfter(response.retryAfter)
            return .retry(
                RandomUserError(code: .rateLimited, message: "HTTP 429 Too Many Requests\(suffix)",
                                apiMessage: apiMessage, status: status),
                retryAfter: retryAfter)
        case 500...599:
            return .retry(
                RandomUserError(code: .serverError, message: "HTTP \(status)\(suffix)", apiMessage: apiMessage,
                                status: status),
                retryAfter: status == 503 ? self.retryAfter(response.retryAfter) : nil)
        case 200...299:
            switch parsed {
            case .failure(let error):
                var failure = (error as? RandomUserError)
                    ?? RandomUserError(code: .invalidResponse, message: "\(error)")
                failure.status = status
                return .retry(failure, retryAfter: nil)
            case .success(let envelope):
                if let users = envelope.results {
                    return .page(
                        UserPage(users: users, fetchedAt: self.clock.wallMilliseconds(),
                                 seed: envelope.seed ?? self.configuration.seed, page: envelope.page ?? page))
                }
                if let message = envelope.errorMessage {
                    return .fail(
                        RandomUserError(code: .apiError, message: "the API answered with an error: \(message)",
                                        apiMessage: message, status: status))
                }
                return .retry(
                    RandomUserError(code: .invalidResponse, message: "the response has no results array",
                                    status: status),
                    retryAfter: nil)
            }
        default:
            return .fail(
                RandomUserError(code: apiMessage == nil ? .httpStatus : .apiError, message: "HTTP \(status)\(suffix)",
                                apiMessage: apiMessage, status: status))
        }
    }

    private func retryAfter(_ header: String?) -> Duration? {
        guard let value = header else { return nil }
        return RetryAfter.delay(value, nowMilliseconds: self.clock.wallMilliseconds())
    }
}
