/// One statement of a batch: a query string or a prepared statement, with values.
public struct CQLBatchStatement: Sendable {
    enum Kind: Sendable {
        case query(String, [CQLValue])
        case prepared(CQLPreparedStatement, [CQLValue])
    }

    let kind: Kind

    /// A query string with values by position.
    public static func query(_ cql: String, _ values: [CQLValue] = []) -> CQLBatchStatement {
        CQLBatchStatement(kind: .query(cql, values))
    }

    /// A prepared statement with values (converted to its markers' types).
    public static func prepared(_ statement: CQLPreparedStatement, _ values: [CQLValue]) -> CQLBatchStatement {
        CQLBatchStatement(kind: .prepared(statement, values))
    }

    func wireStatement() throws -> CQLBatch.Statement {
        switch self.kind {
        case .query(let cql, let values):
            return CQLBatch.Statement(target: .query(cql), values: values)
        case .prepared(let statement, let values):
            return CQLBatch.Statement(target: .prepared(statement.id), values: try statement.bind(values))
        }
    }
}
