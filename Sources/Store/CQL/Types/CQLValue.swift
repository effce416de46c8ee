import struct Foundation.UUID

/// One CQL value of any type, including the two non-values a bound variable can be: `null` and `unset`.
///
/// `unset` (length -2 on the wire) leaves the column as it is; `null` (length -1) writes a tombstone.
/// Absent data should be bound as ``unset``.
public indirect enum CQLValue: Sendable, Hashable {
    /// `null`: the column has no value (on write: a tombstone).
    case null
    /// Not set: the column is not written at all (bound variables only).
    case unset
    /// `ascii`.
    case ascii(String)
    /// `bigint`.
    case bigint(Int64)
    /// `blob`.
    case blob([UInt8])
    /// `boolean`.
    case boolean(Bool)
    /// `counter` (a 64-bit integer).
    case counter(Int64)
    /// `date`: the protocol's unsigned days with 2^31 at 1970-01-01 (see ``CQLValue/date(daysSinceEpoch:)``).
    case date(UInt32)
    /// `decimal`.
    case decimal(CQLDecimal)
    /// `double`.
    case double(Double)
    /// `float`.
    case float(Float)
    /// `inet`.
    case inet(CQLInet)
    /// `int`.
    case int(Int32)
    /// `smallint`.
    case smallint(Int16)
    /// `text` / `varchar`.
    case text(String)
    /// `time`: nanoseconds since midnight.
    case time(Int64)
    /// `timestamp`: milliseconds since the Unix epoch.
    case timestamp(Int64)
    /// `timeuuid`.
    case timeuuid(UUID)
    /// `tinyint`.
    case tinyint(Int8)
    /// `uuid`.
    case uuid(UUID)
    /// `varint`.
    case varint(CQLVarint)
    /// `duration`.
    case duration(CQLDuration)
    /// `list<...>`.
    case list([CQLValue])
    /// `set<...>`.
    case set([CQLValue])
    /// `map<...>`, in the order the entries were given or received.
    case map([CQLMapEntry])
    /// `tuple<...>`; an element may be ``null``.
    case tuple([CQLValue])
    /// A user-defined type value, fields in declaration order; a field may be ``null``.
    case udt([CQLUDTField])
    /// A custom type: its class name and raw bytes.
    case custom(String, [UInt8])

    /// A `date` from whole days since 1970-01-01 (negative before).
    public static func date(daysSinceEpoch days: Int32) -> CQLValue {
        .date(UInt32(bitPattern: days) &+ (1 << 31))
    }

    /// Days since 1970-01-01 for a `date` value.
    public var daysSinceEpoch: Int32? {
        guard case .date(let raw) = self else { return nil }
        return Int32(bitPattern: raw &- (1 << 31))
    }

    /// Whether this is ``null``.
    public var isNull: Bool { if case .null = self { true } else { false } }
}

/// One entry of a `map` value.
public struct CQLMapEntry: Sendable, Hashable {
    /// The key.
    public var key: CQLValue
    /// The value.
    public var value: CQLValue

    /// Creates an entry.
    public init(key: CQLValue, value: CQLValue) {
        self.key = key
        self.value = value
    }
}

/// One field of a user-defined type value.
public struct CQLUDTField: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field value (may be ``CQLValue/null``).
    public var value: CQLValue

    /// Creates a field.
    public init(name: String, value: CQLValue) {
        self.name = name
        self.value = value
    }
}
