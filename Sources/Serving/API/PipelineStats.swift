import Foundation

/// What `/api/stats` answers: the pipeline's own counters, its store's state, the lag and the last minutes, so that
/// no request scans the store. JSON keys are snake_case (`uptime_seconds`, `stored_per_second`, …).
public struct PipelineStats: Codable, Sendable, Equatable {
    /// Whether data is flowing, and if not, why.
    public struct Status: Codable, Sendable, Equatable {
        /// `running` (users flow or wait for work), `starting` (no partitions assigned yet), `stalled` (a store
        /// outage, no partitions for a while, a broker that does not acknowledge) or `stopped`.
        public var state: String
        /// One line saying why it is not `running`; nil when it is.
        public var reason: String?

        public init(state: String, reason: String? = nil) {
            self.state = state
            self.reason = reason
        }
    }

    /// Counts since the process started.
    public struct Totals: Codable, Sendable, Equatable {
        public var fetched = 0
        public var produced = 0
        public var consumed = 0
        public var stored = 0
        public var rejected = 0
        public var duplicates = 0
        public var storeRetries = 0
        public var produceErrors = 0

        public init() {}
    }

    /// Per second, over the last 10 seconds.
    public struct Rates: Codable, Sendable, Equatable {
        public var fetchedPerSecond = 0.0
        public var producedPerSecond = 0.0
        public var storedPerSecond = 0.0
        public var rejectedPerSecond = 0.0

        public init() {}
    }

    /// End-to-end latency, from a user's `fetched_at` to its stored row, in milliseconds.
    public struct Latency: Codable, Sendable, Equatable {
        /// Users measured since the start.
        public var count = 0
        /// Percentiles since the start; nil before the first stored user.
        public var p50Ms: Int?
        public var p99Ms: Int?
        /// True when p99 reached the histogram's cap (60 s): the real value is at least that.
        public var p99AtCap = false

        public init() {}
    }

    /// Consumer lag: messages in the topic not yet committed by the group.
    public struct Lag: Codable, Sendable, Equatable {
        public struct Partition: Codable, Sendable, Equatable {
            public var partition: Int
            public var lag: Int

            public init(partition: Int, lag: Int) {
                self.partition = partition
                self.lag = lag
            }
        }

        /// Sum over the partitions; nil when unknown (no broker answer yet).
        public var total: Int?
        public var partitions: [Partition] = []

        public init() {}
    }

    /// The store as the processor sees it.
    public struct Store: Codable, Sendable, Equatable {
        /// `sqlite` or `cassandra`.
        public var kind: String
        /// True while writes fail and are retried (consumption paused).
        public var failing = false
        /// How long the current outage has lasted, in seconds.
        public var outageSeconds: Double?

        public init(kind: String) {
            self.kind = kind
        }
    }

    /// One recently stored user (no secrets exist in rows; this is a subset of the row).
    public struct RecentUser: Codable, Sendable, Equatable {
        public var userId: String
        public var name: String
        public var gender: String
        public var country: String?
        public var age: Int?
        /// When it was stored, Unix milliseconds.
        public var processedAt: Int64

        public init(userId: String, name: String, gender: String, country: String?, age: Int?, processedAt: Int64) {
            self.userId = userId
            self.name = name
            self.gender = gender
            self.country = country
            self.age = age
            self.processedAt = processedAt
        }
    }

    /// One sample of the last minutes (taken every 2 seconds, the newest last).
    public struct Sample: Codable, Sendable, Equatable {
        /// Unix milliseconds.
        public var t: Int64
        public var producedPerSecond: Double
        public var storedPerSecond: Double
        public var rejectedPerSecond: Double
        public var violationsPerSecond: Double
        /// End-to-end latency of the users stored in this sample's interval; nil when none were.
        public var latencyP50Ms: Int?
        public var latencyP99Ms: Int?
        /// Total consumer lag at the sample; nil when unknown.
        public var lag: Int?

        public init(
            t: Int64, producedPerSecond: Double, storedPerSecond: Double, rejectedPerSecond: Double,
            violationsPerSecond: Double, latencyP50Ms: Int?, latencyP99Ms: Int?, lag: Int?
        ) {
            self.t = t
            self.producedPerSecond = producedPerSecond
            self.storedPerSecond = storedPerSecond
            self.rejectedPerSecond = rejectedPerSecond
            self.violationsPerSecond = violationsPerSecond
            self.latencyP50Ms = latencyP50Ms
            self.latencyP99Ms = latencyP99Ms
            self.lag = lag
        }
    }

    public var status: Status
    /// What this process runs: `ingest`, `process`, `schedule`, `serve`.
    public var parts: [String]
    public var uptimeSeconds: Double
    public var totals = Totals()
    public var rates = Rates()
    public var latency = Latency()
    /// Dead letters by reason (the contract's reason codes).
    public var rejectsByReason: [String: Int] = [:]
    /// Quality violations by rule.
    public var violationsByRule: [String: Int] = [:]
    /// Users stored by this process, by country (the 20 largest; the rest summed under `other`) and by gender.
    public var byCountry: [String: Int] = [:]
    public var byGender: [String: Int] = [:]
    public var lag = Lag()
    public var store: Store?
    /// Scheduler runs by state (`success`, `failed`, `skipped`, …); nil without a scheduler.
    public var schedulerRuns: [String: Int]?
    /// The last users stored, newest first (at most 10).
    public var latest: [RecentUser] = []
    /// The last 5 minutes, oldest first.
    public var history: [Sample] = []

    public init(status: Status, parts: [String], uptimeSeconds: Double) {
        self.status = status
        self.parts = parts
        self.uptimeSeconds = uptimeSeconds
    }
}
