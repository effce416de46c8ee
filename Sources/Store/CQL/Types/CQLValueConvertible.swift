import NIOCore

import struct Foundation.Date
import struct Foundation.UUID

/// A Swift type that can be bound as a CQL value.
public protocol CQLEncodable: Sendable {
    /// The CQL value this Swift value binds as.
    var cqlValue: CQLValue { get }
}

/// A Swift type that can be read from a CQL value.
public protocol CQLDecodable {
    /// Converts a decoded value.
    /// - Throws: ``CQLValueError`` when the value is null (for non-optional types) or of another kind.
    init(cqlValue: CQLValue) throws(CQLValueError)
}

private func mismatch(_ value: CQLValue, _ type: Any.Type) -> CQLValueError {
    if case .null = value { return CQLValueError("null cannot be read as \(type); read an Optional") }
    return CQLValueError("\(value) cannot be read as \(type)")
}

extension CQLValue: CQLEncodable, CQLDecodable {
    /// Itself.
    public var cqlValue: CQLValue { self }
    /// Itself.
    public init(cqlValue: CQLValue) { self = cqlValue }
}

extension Optional: CQLEncodable where Wrapped: CQLEncodable {
    /// The wrapped value, or ``CQLValue/unset`` for nil: an absent value is not written (bind ``CQLValue/null``
    /// to write a null).
    public var cqlValue: CQLValue { self?.cqlValue ?? .unset }
}

extension Optional: CQLDecodable where Wrapped: CQLDecodable {
    /// nil for ``CQLValue/null``, otherwise the wrapped type's conversion.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        if case .null = cqlValue {
            self = nil
        } else {
            self = try Wrapped(cqlValue: cqlValue)
        }
    }
}

extension String: CQLEncodable, CQLDecodable {
    /// `text`.
    public var cqlValue: CQLValue { .text(self) }
    /// From `text`, `varchar` or `ascii`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        switch cqlValue {
        case .text(let s), .ascii(let s): self = s
        default: throw mismatch(cqlValue, String.self)
        }
    }
}

extension Int64: CQLEncodable, CQLDecodable {
    /// `bigint`.
    public var cqlValue: CQLValue { .bigint(self) }
    /// From any integer kind that fits.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard let v = cqlValue.integerValue else { throw mismatch(cqlValue, Int64.self) }
        self = v
    }
}

extension Int: CQLEncodable, CQLDecodable {
    /// `bigint`.
    public var cqlValue: CQLValue { .bigint(Int64(self)) }
    /// From any integer kind that fits.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard let v = cqlValue.integerValue, let i = Int(exactly: v) else { throw mismatch(cqlValue, Int.self) }
        self = i
    }
}

extension Int32: CQLEncodable, CQLDecodable {
    /// `int`.
    public var cqlValue: CQLValue { .int(self) }
    /// From any integer kind that fits.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard let v = cqlValue.integerValue, let i = Int32(exactly: v) else { throw mismatch(cqlValue, Int32.self) }
        self = i
    }
}

extension Int16: CQLEncodable, CQLDecodable {
    /// `smallint`.
    public var cqlValue: CQLValue { .smallint(self) }
    /// From any integer kind that fits.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard let v = cqlValue.integerValue, let i = Int16(exactly: v) else { throw mismatch(cqlValue, Int16.self) }
        self = i
    }
}

extension Int8: CQLEncodable, CQLDecodable {
    /// `tinyint`.
    public var cqlValue: CQLValue { .tinyint(self) }
    /// From any integer kind that fits.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard let v = cqlValue.integerValue, let i = Int8(exactly: v) else { throw mismatch(cqlValue, Int8.self) }
        self = i
    }
}

extension Double: CQLEncodable, CQLDecodable {
    /// `double`.
    public var cqlValue: CQLValue { .double(self) }
    /// From `double` or `float`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        switch cqlValue {
        case .double(let d): self = d
        case .float(let f): self = Double(f)
        default: throw mismatch(cqlValue, Double.self)
        }
    }
}

extension Float: CQLEncodable, CQLDecodable {
    /// `float`.
    public var cqlValue: CQLValue { .float(self) }
    /// From `float`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .float(let f) = cqlValue else { throw mismatch(cqlValue, Float.self) }
        self = f
    }
}

extension Bool: CQLEncodable, CQLDecodable {
    /// `boolean`.
    public var cqlValue: CQLValue { .boolean(self) }
    /// From `boolean`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .boolean(let b) = cqlValue else { throw mismatch(cqlValue, Bool.self) }
        self = b
    }
}

extension UUID: CQLEncodable, CQLDecodable {
    /// `uuid`.
    public var cqlValue: CQLValue { .uuid(self) }
    /// From `uuid` or `timeuuid`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        switch cqlValue {
        case .uuid(let u), .timeuuid(let u): self = u
        default: throw mismatch(cqlValue, UUID.self)
        }
    }
}

extension Date: CQLEncodable, CQLDecodable {
    /// `timestamp` (milliseconds).
    public var cqlValue: CQLValue { .timestamp(Int64((self.timeIntervalSince1970 * 1000).rounded(.down))) }
    /// From `timestamp`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .timestamp(let ms) = cqlValue else { throw mismatch(cqlValue, Date.self) }
        self = Date(timeIntervalSince1970: Double(ms) / 1000)
    }
}

extension Array: CQLEncodable where Element: CQLEncodable {
    /// `list<...>`; `[UInt8]` is a `blob`.
    public var cqlValue: CQLValue {
        if let bytes = self as? [UInt8] { return .blob(bytes) }
        return .list(self.map(\.cqlValue))
    }
}

extension Array: CQLDecodable where Element: CQLDecodable {
    /// From `list` or `set`; `[UInt8]` from `blob` or a custom type.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        switch cqlValue {
        case .blob(let bytes), .custom(_, let bytes):
            guard let same = bytes as? [Element] else { throw mismatch(cqlValue, [Element].self) }
            self = same
        case .list(let elements), .set(let elements):
            self = try elements.map { e throws(CQLValueError) in try Element(cqlValue: e) }
        default:
            throw mismatch(cqlValue, [Element].self)
        }
    }
}

extension Dictionary: CQLDecodable where Key: CQLDecodable, Value: CQLDecodable {
    /// From `map` (a repeated key keeps the last value).
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .map(let entries) = cqlValue else { throw mismatch(cqlValue, [Key: Value].self) }
        var result: [Key: Value] = [:]
        for entry in entries { result[try Key(cqlValue: entry.key)] = try Value(cqlValue: entry.value) }
        self = result
    }
}

extension CQLVarint: CQLEncodable, CQLDecodable {
    /// `varint`.
    public var cqlValue: CQLValue { .varint(self) }
    /// From `varint` or any integer kind.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        if case .varint(let v) = cqlValue {
            self = v
        } else if let i = cqlValue.integerValue {
            self = CQLVarint(i)
        } else {
            throw mismatch(cqlValue, CQLVarint.self)
        }
    }
}

extension CQLDecimal: CQLEncodable, CQLDecodable {
    /// `decimal`.
    public var cqlValue: CQLValue { .decimal(self) }
    /// From `decimal`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .decimal(let d) = cqlValue else { throw mismatch(cqlValue, CQLDecimal.self) }
        self = d
    }
}

extension CQLDuration: CQLEncodable, CQLDecodable {
    /// `duration`.
    public var cqlValue: CQLValue { .duration(self) }
    /// From `duration`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .duration(let d) = cqlValue else { throw mismatch(cqlValue, CQLDuration.self) }
        self = d
    }
}

extension CQLInet: CQLEncodable, CQLDecodable {
    /// `inet`.
    public var cqlValue: CQLValue { .inet(self) }
    /// From `inet`.
    public init(cqlValue: CQLValue) throws(CQLValueError) {
        guard case .inet(let i) = cqlValue else { throw mismatch(cqlValue, CQLInet.self) }
        self = i
    }
}
