/// The targets and anchors of the issue "Speed and memory" (measured on a 2-core, 24 GiB machine, RandomUser
/// v1.4-shaped users of about 1.08 KB, 2% bad records).
public enum BenchTargets {
    /// `transform`: users per second on 2 cores.
    public static let transformUsersPerSecond = 250_000.0
    /// `transform`: peak resident memory in MiB, whatever the input size: the 150 MB (10^6 bytes).
    public static let transformPeakMiB = 150e6 / 1_048_576
    /// The contract stage alone, one core: users per second.
    public static let contractUsersPerSecond = 200_000.0
    /// `run` end to end: users per second sustained.
    public static let runUsersPerSecond = 50_000.0
    /// `run` end to end: peak resident memory in MiB: the 200 MB (10^6 bytes), 190.7 MiB.
    public static let runPeakMiB = 200e6 / 1_048_576
    /// End-to-end latency at 5,000 users/s: p50 in milliseconds.
    public static let latencyP50Milliseconds = 10.0
    /// End-to-end latency at 5,000 users/s: p99 in milliseconds.
    public static let latencyP99Milliseconds = 50.0
    /// Cassandra: how many times faster than the Python driver's `execute_concurrent`.
    public static let cassandraSpeedup = 3.0

    /// The Spark job: 1,000,000 users in about 51 s on 2 cores (67 s with start-up), 2 GB resident.
    public static let sparkAnchor = "Spark local[2] ≈ 19,500 users/s, 2 GB RSS"
    /// A plain CPython implementation of the contract, one core.
    public static let cpythonAnchor = "CPython ≈ 13,900 users/s; orjson parse only ≈ 230,000"
    /// Foundation's JSON on Linux.
    public static let foundationAnchor = "JSONSerialization ≈ 39,000 users/s (≈ 40 MB/s)"
    /// librdkafka producing into its mock broker (kcat, lz4, linger 5 ms).
    public static let produceAnchor = "kcat → mock ≈ 300,000 msgs/s (≈ 320 MB/s)"
    /// librdkafka consuming while producing (kcat).
    public static let consumeAnchor = "kcat ≈ 200,000 msgs/s"
    /// A Spark micro-batch.
    public static let latencyAnchor = "Spark micro-batch ≥ ~100 ms; original trigger 10 s"
    /// Peak memory of the Spark job.
    public static let sparkMemoryAnchor = "Spark ≈ 2 GB"
}
