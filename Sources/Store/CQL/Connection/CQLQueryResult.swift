import struct Foundation.UUID

/// What a query, execution or batch returned, with the frame's warnings and tracing id.
public struct CQLQueryResult: Sendable {
    /// The RESULT message.
    public var result: CQLResult
    /// Warnings the server attached to the answer.
    public var warnings: [String]
    /// The tracing session, when tracing was requested.
    public var tracingID: UUID?

    /// Creates a result.
    public init(result: CQLResult, warnings: [String] = [], tracingID: UUID? = nil) {
        self.result = result
        self.warnings = warnings
        self.tracingID = tracingID
    }

    /// The rows of a Rows result (empty for other kinds).
    public var rows: [CQLRow] {
        if case .rows(let rows) = self.result { return rows.rows }
        return []
    }

    /// The paging state of a Rows result with more pages.
    public var pagingState: [UInt8]? {
        if case .rows(let rows) = self.result { return rows.pagingState }
        return nil
    }
}
