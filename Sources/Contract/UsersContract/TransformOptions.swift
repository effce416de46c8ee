/// Options of a ``UserTransformer``.
public struct TransformOptions: Sendable, Hashable {
    /// A message (a line, in batch form) longer than this many bytes is rejected as `too_large`
    /// without being parsed. Default: 1 MiB (1,048,576). A whole 5,000-user envelope needs ~6 MiB.
    public var maxMessageBytes: Int = 1 << 20
    /// UTC milliseconds: when the run started. A date of birth strictly after it is in the future.
    public var runStartedAt: Int64

    /// Creates options.
    /// - Parameters:
    ///   - maxMessageBytes: see ``maxMessageBytes``. Default: 1 MiB.
    ///   - runStartedAt: UTC milliseconds, see ``runStartedAt``.
    public init(maxMessageBytes: Int = 1 << 20, runStartedAt: Int64) {
        self.maxMessageBytes = maxMessageBytes
        self.runStartedAt = runStartedAt
    }
}
