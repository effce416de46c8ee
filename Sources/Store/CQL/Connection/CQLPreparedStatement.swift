import NIOCore

import NIOCore

/// A prepared statement: its id and what its bind markers and results are.
///
/// The id is the same on every node (Cassandra derives it from the query text and keyspace), so a
/// statement prepared once can run anywhere; a node that does not know it answers UNPREPARED and the
/// client prepares it there and executes again, transparently.
public struct CQLPreparedStatement: Sendable, Hashable {
    /// The CQL text.
    public let query: String
    /// The id.
    public let id: [UInt8]
    /// The bind markers, in order.
    public let bindColumns: [CQLColumnSpec]
    /// Which bind markers make the partition key, in key order (empty when unknown).
    public let partitionKeyIndices: [Int]
    /// The result columns (empty for statements that return none, or when the server sent none).
    public let resultColumns: [CQLColumnSpec]

    /// Creates a statement from a Prepared result.
    public init(query: String, result: CQLPreparedResult) {
        self.query = query
        self.id = result.id
        self.bindColumns = result.bindColumns
        self.partitionKeyIndices = result.partitionKeyIndices
        self.resultColumns = result.resultMetadata.columns
    }

    /// The keyspace of the statement's table, when the server said.
    public var keyspace: String? { self.bindColumns.first?.keyspace ?? self.resultColumns.first?.keyspace }

    /// Converts the values to the bind markers' types.
    /// - Throws: ``CQLError`` with code `invalidArgument` for a wrong count or a value that does not fit.
    public func bind(_ values: [CQLValue]) throws -> [CQLValue] {
        guard values.count == self.bindColumns.count else {
            throw CQLError(
                code: .invalidArgument,
                message: "\(self.bindColumns.count) values expected, \(values.count) given for: \(self.query)"
            )
        }
        var bound: [CQLValue] = []
        bound.reserveCapacity(values.count)
        for (value, column) in zip(values, self.bindColumns) {
            do {
                bound.append(try value.coerced(to: column.type))
            } catch {
                throw CQLError(code: .invalidArgument, message: "bind marker \(column.name): \(error.message)")
            }
        }
        return bound
    }

    /// The routing key of bound values (section 4.2.5.4's pk indices): one component as its bytes, several as
    /// `[short length][bytes][0]` each. nil when the statement has no pk indices or a key value is null/unset.
    public func routingKey(_ values: [CQLValue]) -> [UInt8]? {
        guard !self.partitionKeyIndices.isEmpty else { return nil }
        var components: [[UInt8]] = []
        for index in self.partitionKeyIndices {
            guard index < values.count else { return nil }
            switch values[index] {
            case .null, .unset: return nil
            default:
                var buffer = ByteBufferAllocatorHolder.allocator.buffer(capacity: 16)
                values[index].encodeBody(into: &buffer)
                components.append(Array(buffer.readableBytesView))
            }
        }
        if components.count == 1 { return components[0] }
        var key: [UInt8] = []
        for component in components {
            key.append(UInt8(truncatingIfNeeded: component.count >> 8))
            key.append(UInt8(truncatingIfNeeded: component.count))
            key.append(contentsOf: component)
            key.append(0)
        }
        return key
    }
}

enum ByteBufferAllocatorHolder {
    static let allocator = ByteBufferAllocator()
}
