import struct Foundation.UUID

extension CQLValue {
    /// The value converted to the column type a prepared statement declares, so that `.bigint(5)` binds to an
    /// `int` column and `.text` to an `ascii` one. Values that need no change, ``null`` and ``unset`` pass through.
    /// - Throws: ``CQLValueError`` when a number does not fit or the kinds cannot meet.
    public func coerced(to type: CQLDataType) throws(CQLValueError) -> CQLValue {
        switch (self, type) {
        case (.null, _), (.unset, _): return self
        case (.text(let s), .ascii), (.ascii(let s), .ascii): return .ascii(s)
        case (.ascii(let s), .varchar), (.text(let s), .varchar): return .text(s)
        case (.float(let f), .double): return .double(Double(f))
        case (.double(let d), .float): return .float(Float(d))
        case (.uuid(let u), .timeuuid), (.timeuuid(let u), .timeuuid): return .timeuuid(u)
        case (.timeuuid(let u), .uuid), (.uuid(let u), .uuid): return .uuid(u)
        case (.blob(let b), .custom(let name)) where name != CQLDataType.durationClassName: return .custom(name, b)
        case (.list(let elements), .list(let element)):
            return .list(try elements.map { v throws(CQLValueError) in try v.coerced(to: element) })
        case (.list(let elements), .set(let element)), (.set(let elements), .set(let element)):
            return .set(try elements.map { v throws(CQLValueError) in try v.coerced(to: element) })
        case (.map(let entries), .map(let keyType, let valueType)):
            return .map(
                try entries.map { entry throws(CQLValueError) in
                    CQLMapEntry(key: try entry.key.coerced(to: keyType), value: try entry.value.coerced(to: valueType))
                })
        case (.tuple(let elements), .tuple(let types)):
            guard elements.count <= types.count else { throw CQLValueError("tuple has too many elements") }
            var out: [CQLValue] = []
            for (index, element) in elements.enumerated() { out.append(try element.coerced(to: types[index])) }
            return .tuple(out)
        default:
            break
        }
        if let integer = self.integerValue {
            switch type {
            case .bigint: return .bigint(integer)
            case .counter: return .counter(integer)
            case .timestamp: return .timestamp(integer)
            case .time: return .time(integer)
            case .varint: return .varint(CQLVarint(integer))
            case .int:
                guard let v = Int32(exactly: integer) else { throw CQLValueError("\(integer) does not fit an int") }
                return .int(v)
            case .smallint:
                guard let v = Int16(exactly: integer) else { throw CQLValueError("\(integer) does not fit a smallint") }
                return .smallint(v)
            case .tinyint:
                guard let v = Int8(exactly: integer) else { throw CQLValueError("\(integer) does not fit a tinyint") }
                return .tinyint(v)
            case .double: return .double(Double(integer))
            case .float: return .float(Float(integer))
            default: break
            }
        }
        return self
    }

    /// The value of an integer kind (bigint, counter, int, smallint, tinyint, timestamp, time, a varint that fits).
    public var integerValue: Int64? {
        switch self {
        case .bigint(let v), .counter(let v), .timestamp(let v), .time(let v): v
        case .int(let v): Int64(v)
        case .smallint(let v): Int64(v)
        case .tinyint(let v): Int64(v)
        case .varint(let v): v.int64Value
        default: nil
        }
    }
}
