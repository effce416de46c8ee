import NIOCore

/// A CQL data type as the protocol describes it in an `[option]` (section 4.2.5.2).
public indirect enum CQLDataType: Sendable, Hashable, CustomStringConvertible {
    /// A custom type with its Java class name (e.g. `org.apache.cassandra.db.marshal.DurationType`).
    case custom(String)
    /// `ascii`.
    case ascii
    /// `bigint`.
    case bigint
    /// `blob`.
    case blob
    /// `boolean`.
    case boolean
    /// `counter`.
    case counter
    /// `decimal`.
    case decimal
    /// `double`.
    case double
    /// `float`.
    case float
    /// `int`.
    case int
    /// `timestamp`.
    case timestamp
    /// `uuid`.
    case uuid
    /// `varchar` / `text`.
    case varchar
    /// `varint`.
    case varint
    /// `timeuuid`.
    case timeuuid
    /// `inet`.
    case inet
    /// `date`.
    case date
    /// `time`.
    case time
    /// `smallint`.
    case smallint
    /// `tinyint`.
    case tinyint
    /// `list<element>`.
    case list(CQLDataType)
    /// `map<key, value>`.
    case map(CQLDataType, CQLDataType)
    /// `set<element>`.
    case set(CQLDataType)
    /// A user-defined type: keyspace, name and fields in declaration order.
    case udt(keyspace: String, name: String, fields: [CQLUDTFieldType])
    /// `tuple<...>`.
    case tuple([CQLDataType])

    /// The Java class of Cassandra's duration type, which the protocol v4 carries as a custom type.
    public static let durationClassName = "org.apache.cassandra.db.marshal.DurationType"

    /// `duration` (a custom type in protocol v4).
    public static var duration: CQLDataType { .custom(durationClassName) }

    /// The type's CQL spelling.
    public var description: String {
        switch self {
        case .custom(let name): name == Self.durationClassName ? "duration" : "'\(name)'"
        case .ascii: "ascii"
        case .bigint: "bigint"
        case .blob: "blob"
        case .boolean: "boolean"
        case .counter: "counter"
        case .decimal: "decimal"
        case .double: "double"
        case .float: "float"
        case .int: "int"
        case .timestamp: "timestamp"
        case .uuid: "uuid"
        case .varchar: "text"
        case .varint: "varint"
        case .timeuuid: "timeuuid"
        case .inet: "inet"
        case .date: "date"
        case .time: "time"
        case .smallint: "smallint"
        case .tinyint: "tinyint"
        case .list(let element): "list<\(element)>"
        case .map(let key, let value): "map<\(key), \(value)>"
        case .set(let element): "set<\(element)>"
        case .udt(let keyspace, let name, _): "\(keyspace).\(name)"
        case .tuple(let elements): "tuple<\(elements.map(\.description).joined(separator: ", "))>"
        }
    }
}

/// One field of a user-defined type.
public struct CQLUDTFieldType: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field type.
    public var type: CQLDataType

    /// Creates a field.
    public init(name: String, type: CQLDataType) {
        self.name = name
        self.type = type
    }
}

extension CQLDataType {
    /// Reads an `[option]` type description.
    static func decode(from buffer: inout ByteBuffer, depth: Int = 0) throws(CQLDecodingError) -> CQLDataType {
        // Real schemas nest a few levels; a bound keeps a hostile frame from exhausting the stack.
        guard depth < 32 else { throw .invalid("type nested deeper than 32 levels") }
        let id = try buffer.readCQLShort()
        switch id {
        case 0x0000: return .custom(try buffer.readCQLString())
        case 0x0001: return .ascii
        case 0x0002: return .bigint
        case 0x0003: return .blob
        case 0x0004: return .boolean
        case 0x0005: return .counter
        case 0x0006: return .decimal
        case 0x0007: return .double
        case 0x0008: return .float
        case 0x0009: return .int
        case 0x000A: return .varchar  // `text` in protocol v1; servers may still send it
        case 0x000B: return .timestamp
        case 0x000C: return .uuid
        case 0x000D: return .varchar
        case 0x000E: return .varint
        case 0x000F: return .timeuuid
        case 0x0010: return .inet
        case 0x0011: return .date
        case 0x0012: return .time
        case 0x0013: return .smallint
        case 0x0014: return .tinyint
        case 0x0020: return .list(try decode(from: &buffer, depth: depth + 1))
        case 0x0021:
            let key = try decode(from: &buffer, depth: depth + 1)
            return .map(key, try decode(from: &buffer, depth: depth + 1))
        case 0x0022: return .set(try decode(from: &buffer, depth: depth + 1))
        case 0x0030:
            let keyspace = try buffer.readCQLString()
            let name = try buffer.readCQLString()
            let count = try buffer.readCQLShort()
            var fields: [CQLUDTFieldType] = []
            for _ in 0..<count {
                let fieldName = try buffer.readCQLString()
                fields.append(CQLUDTFieldType(name: fieldName, type: try decode(from: &buffer, depth: depth + 1)))
            }
            return .udt(keyspace: keyspace, name: name, fields: fields)
        case 0x0031:
            let count = try buffer.readCQLShort()
            var elements: [CQLDataType] = []
            for _ in 0..<count { elements.append(try decode(from: &buffer, depth: depth + 1)) }
            return .tuple(elements)
        default:
            throw .invalid("type option id 0x\(String(id, radix: 16))")
        }
    }

    /// Writes the type as an `[option]`.
    func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .custom(let name):
            buffer.writeCQLShort(0x0000)
            buffer.writeCQLString(name)
        case .ascii: buffer.writeCQLShort(0x0001)
        case .bigint: buffer.writeCQLShort(0x0002)
        case .blob: buffer.writeCQLShort(0x0003)
        case .boolean: buffer.writeCQLShort(0x0004)
        case .counter: buffer.writeCQLShort(0x0005)
        case .decimal: buffer.writeCQLShort(0x0006)
        case .double: buffer.writeCQLShort(0x0007)
        case .float: buffer.writeCQLShort(0x0008)
        case .int: buffer.writeCQLShort(0x0009)
        case .timestamp: buffer.writeCQLShort(0x000B)
        case .uuid: buffer.writeCQLShort(0x000C)
        case .varchar: buffer.writeCQLShort(0x000D)
        case .varint: buffer.writeCQLShort(0x000E)
        case .timeuuid: buffer.writeCQLShort(0x000F)
        case .inet: buffer.writeCQLShort(0x0010)
        case .date: buffer.writeCQLShort(0x0011)
        case .time: buffer.writeCQLShort(0x0012)
        case .smallint: buffer.writeCQLShort(0x0013)
        case .tinyint: buffer.writeCQLShort(0x0014)
        case .list(let element):
            buffer.writeCQLShort(0x0020)
            element.encode(into: &buffer)
        case .map(let key, let value):
            buffer.writeCQLShort(0x0021)
            key.encode(into: &buffer)
            value.encode(into: &buffer)
        case .set(let element):
            buffer.writeCQLShort(0x0022)
            element.encode(into: &buffer)
        case .udt(let keyspace, let name, let fields):
            buffer.writeCQLShort(0x0030)
            buffer.writeCQLString(keyspace)
            buffer.writeCQLString(name)
            buffer.writeCQLShort(UInt16(truncatingIfNeeded: fields.count))
            for field in fields {
                buffer.writeCQLString(field.name)
                field.type.encode(into: &buffer)
            }
        case .tuple(let elements):
            buffer.writeCQLShort(0x0031)
            buffer.writeCQLShort(UInt16(truncatingIfNeeded: elements.count))
            for element in elements { element.encode(into: &buffer) }
        }
    }
}
