import UsersContract

/// What the HTTP face asks of the pipeline it serves. The pipeline (`Pipeline`'s builder) implements it over its
/// counters, its store and its consumer; tests implement it with fixed answers.
public protocol ServingBackend: Sendable {
    /// The figures of `/api/stats` and the dashboard. Must not scan the store.
    func stats() async -> PipelineStats
    /// Whether the pipeline can do its work now: `/ready` answers 200 only when every check passed.
    func readiness() async -> Readiness
    /// The Prometheus text exposition of the pipeline's metrics (brought up to date first).
    func metrics() async -> String
    /// One stored user by id, or nil. Throws when the store cannot answer.
    func user(id: String) async throws -> UserRow?
    /// Stored users in id order after `after` (exclusive; nil: from the first), at most `limit`.
    func users(after: String?, limit: Int) async throws -> [UserRow]
}

/// The answer of `/ready`: every check with its outcome.
public struct Readiness: Codable, Sendable, Equatable {
    /// One dependency or condition.
    public struct Check: Codable, Sendable, Equatable {
        /// `broker`, `store`, `consumer`.
        public var name: String
        public var ok: Bool
        /// What was seen, in one line (why it failed).
        public var detail: String

        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    public var checks: [Check]
    /// True when every check passed.
    public var ready: Bool { checks.allSatisfy(\.ok) }

    public init(checks: [Check]) {
        self.checks = checks
    }

    enum CodingKeys: String, CodingKey {
        case ready, checks
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ready, forKey: .ready)
        try container.encode(checks, forKey: .checks)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        checks = try container.decode([Check].self, forKey: .checks)
    }
}
