import Foundation

/// One run of the schedule: the ingestion of one logical time, with its attempts and outcome.
public struct ScheduledRun: Sendable, Equatable {
    /// Where a run stands.
    public enum State: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Recorded, not started yet (a catch-up run waiting for the one before it).
        case queued
        /// An attempt is under way.
        case running
        /// An attempt produced every user it asked for.
        case success
        /// Every attempt failed (``ScheduledRun/error`` says why), or the process stopped during it.
        case failed
        /// Not run: the previous run was still active at its time (an overdue tick is skipped, not stacked).
        case skipped

        public var description: String { rawValue }

        /// `success 3, failed 1` (states in declaration order, those with none left out), or `none`.
        public static func summary(_ counts: [State: Int]) -> String {
            let parts = allCases.compactMap { state in counts[state].map { "\(state) \($0)" } }
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }
    }

    /// Why a run exists.
    public enum Trigger: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Its time came.
        case schedule
        /// A missed interval, run after downtime (with catch-up on).
        case catchUp = "catch-up"
        /// `userstream runs rerun ID`.
        case rerun
        /// `userstream ingest --logical-time`.
        case manual

        public var description: String { rawValue }
    }

    /// The run's id in the history (1, 2, …).
    public var id: Int64
    /// The interval's logical time, UTC milliseconds: the same logical time gives the same users.
    public var logicalTime: Int64
    /// Why it exists.
    public var trigger: Trigger
    /// Where it stands.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// UTC milliseconds: when it was recorded, when its first attempt started, when it ended.
    public var queuedAt: Int64
    public var startedAt: Int64?
    public var endedAt: Int64?
    /// The seed the run's users come from (the configured seed and the logical time, see ``LogicalTime``), and how
    /// many it asks for: a re-run takes both from here, so it reproduces the run even after the settings changed.
    public var seed: String
    public var users: Int
    /// Users the source returned, and users the broker acknowledged, in the last attempt.
    public var fetched: Int
    public var produced: Int
    /// The error of the last failed attempt (one line), or why it was skipped.
    public var error: String?

    /// A run as stored.
    public init(
        id: Int64, logicalTime: Int64, trigger: Trigger, state: State, attempts: Int = 0, queuedAt: Int64,
        startedAt: Int64? = nil, endedAt: Int64? = nil, fetched: Int = 0, produced: Int = 0, seed: String = "",
        users: Int = 0, error: String? = nil
    ) {
        self.seed = seed
        self.users = users
        self.id = id
        self.logicalTime = logicalTime
        self.trigger = trigger
        self.state = state
        self.attempts = attempts
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.fetched = fetched
        self.produced = produced
        self.error = error
    }

    /// ``logicalTime`` as a date.
    public var logicalDate: Date { Date(epochMilliseconds: logicalTime) }
}
