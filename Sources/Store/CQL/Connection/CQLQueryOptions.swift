/// Per-request options of a query, an execution or a batch.
public struct CQLQueryOptions: Sendable, Hashable {
    /// The consistency level. Default: `LOCAL_QUORUM`.
    public var consistency: CQLConsistency
    /// The serial consistency of conditional updates. Default: nil (the server's `SERIAL`).
    public var serialConsistency: CQLConsistency?
    /// Rows per page. Default: 5000. nil asks for the whole result in one page.
    public var pageSize: Int32?
    /// Where to resume paging. Default: nil (the first page).
    public var pagingState: [UInt8]?
    /// The write timestamp in microseconds (the protocol's default timestamp flag). Default: nil (the server's clock).
    public var defaultTimestamp: Int64?
    /// Whether running the statement twice has the same effect as once; only idempotent work is retried on
    /// another host after a timeout or a lost connection. Default: false.
    public var isIdempotent: Bool
    /// How long to wait for the answer; nil uses the connection's or client's default.
    public var timeout: Duration?
    /// Asks the server to trace the request. Default: false.
    public var tracing: Bool

    /// Creates options.
    public init(
        consistency: CQLConsistency = .localQuorum,
        serialConsistency: CQLConsistency? = nil,
        pageSize: Int32? = 5000,
        pagingState: [UInt8]? = nil,
        defaultTimestamp: Int64? = nil,
        isIdempotent: Bool = false,
        timeout: Duration? = nil,
        tracing: Bool = false
    ) {
        self.consistency = consistency
        self.serialConsistency = serialConsistency
        self.pageSize = pageSize
        self.pagingState = pagingState
        self.defaultTimestamp = defaultTimestamp
        self.isIdempotent = isIdempotent
        self.timeout = timeout
        self.tracing = tracing
    }

    func parameters(values: [CQLValue], names: [String]? = nil, skipMetadata: Bool = false) -> CQLQueryParameters {
        CQLQueryParameters(
            consistency: self.consistency,
            values: values,
            names: names,
            skipMetadata: skipMetadata,
            pageSize: self.pageSize,
            pagingState: self.pagingState,
            serialConsistency: self.serialConsistency,
            defaultTimestamp: self.defaultTimestamp
        )
    }
}
