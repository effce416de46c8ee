/// One measured figure of a benchmark, with the target and the Spark-era anchor beside it.
public struct BenchFigure: Sendable, Hashable {
    /// Whether a figure is better when higher (throughput) or lower (latency, memory).
    public struct Direction: Sendable, Hashable {
        fileprivate enum Kind: Hashable { case higher, lower }
        fileprivate let kind: Kind
        /// Higher is better (users/s, MB/s).
        public static let higherIsBetter = Direction(kind: .higher)
        /// Lower is better (milliseconds, megabytes of memory).
        public static let lowerIsBetter = Direction(kind: .lower)
    }

    /// What was measured, e.g. `throughput`.
    public var name: String
    /// The measured value.
    public var value: Double
    /// The unit, e.g. `users/s`.
    public var unit: String
    /// The target the issue sets, in the same unit; nil when there is none.
    public var target: Double?
    /// Which way the target points.
    public var direction: Direction
    /// The anchor to compare with, as text (e.g. `Spark ≈ 19,500 users/s`); nil when there is none.
    public var anchor: String?

    /// Creates a figure.
    public init(
        _ name: String, _ value: Double, unit: String, target: Double? = nil,
        direction: Direction = .higherIsBetter, anchor: String? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.target = target
        self.direction = direction
        self.anchor = anchor
    }

    /// Whether the value meets the target; nil without a target.
    public var meetsTarget: Bool? {
        guard let target else { return nil }
        switch direction.kind {
        case .higher: return value >= target
        case .lower: return value <= target
        }
    }

    /// The target as text (`≥ 250,000 users/s`), or `—`.
    public var targetText: String {
        guard let target else { return "—" }
        let sign = direction.kind == .higher ? "≥" : "≤"
        // A target converted from another unit (200 MB in MiB) keeps its decimal.
        let number = target == target.rounded() ? BenchFormat.number(target) : String(format: "%.1f", target)
        return "\(sign) \(number) \(unit)"
    }

    /// The value with its unit (`312,456 users/s`).
    public var valueText: String {
        "\(BenchFormat.number(value)) \(unit)"
    }
}
