import NIOCore

import struct Foundation.UUID

/// A value that cannot be converted to the requested Swift type or column type.
public struct CQLValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// A human-readable description.
    public var description: String { "CQL value error: \(self.message)" }
}

extension CQLValue {
    /// Writes the value as a `[value]`: length then body; -1 for null, -2 for unset.
    public func encodeAsValue(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeCQLInt(-1)
        case .unset: buffer.writeCQLInt(-2)
        default:
            let lengthIndex = buffer.writerIndex
            buffer.writeCQLInt(0)
            let start = buffer.writerIndex
            self.encodeBody(into: &buffer)
            buffer.setInteger(Int32(truncatingIfNeeded: buffer.writerIndex - start), at: lengthIndex, endianness: .big)
        }
    }

    /// Writes the value as a `[bytes]` element of a collection, tuple or UDT (unset becomes null).
    func encodeAsElement(into buffer: inout ByteBuffer) {
        if case .unset = self {
            buffer.writeCQLInt(-1)
        } else {
            self.encodeAsValue(into: &buffer)
        }
    }

    /// Writes the serialized form of section 6, without a length.
    public func encodeBody(into buffer: inout ByteBuffer) {
        switch self {
        case .null, .unset: break
        case .ascii(let string), .text(let string): buffer.writeString(string)
        case .bigint(let value), .counter(let value), .time(let value), .timestamp(let value):
            buffer.writeInteger(value, endianness: .big)
        case .blob(let bytes): buffer.writeBytes(bytes)
        case .boolean(let value): buffer.writeInteger(UInt8(value ? 1 : 0))
        case .date(let value): buffer.writeInteger(value, endianness: .big)
        case .decimal(let decimal):
            buffer.writeInteger(decimal.scale, endianness: .big)
            buffer.writeBytes(decimal.unscaled.bytes)
        case .double(let value): buffer.writeInteger(value.bitPattern, endianness: .big)
        case .float(let value): buffer.writeInteger(value.bitPattern, endianness: .big)
        case .inet(let inet): buffer.writeBytes(inet.bytes)
        case .int(let value): buffer.writeInteger(value, endianness: .big)
        case .smallint(let value): buffer.writeInteger(value, endianness: .big)
        case .tinyint(let value): buffer.writeInteger(value)
        case .uuid(let uuid), .timeuuid(let uuid):
            _ = withUnsafeBytes(of: uuid.uuid) { buffer.writeBytes($0) }
        case .varint(let varint): buffer.writeBytes(varint.bytes)
        case .duration(let duration): duration.encode(into: &buffer)
        case .list(let elements), .set(let elements):
            buffer.writeCQLInt(Int32(truncatingIfNeeded: elements.count))
            for element in elements { element.encodeAsElement(into: &buffer) }
        case .map(let entries):
            buffer.writeCQLInt(Int32(truncatingIfNeeded: entries.count))
            for entry in entries {
                entry.key.encodeAsElement(into: &buffer)
                entry.value.encodeAsElement(into: &buffer)
            }
        case .tuple(let elements):
            for element in elements { element.encodeAsElement(into: &buffer) }
        case .udt(let fields):
            for field in fields { field.value.encodeAsElement(into: &buffer) }
        case .custom(_, let bytes): buffer.writeBytes(bytes)
        }
    }

    /// Decodes a `[bytes]` cell of the given type. A nil buffer is ``null``; so is an empty buffer for a type
    /// whose values have a fixed, non-zero size (the legacy "empty" value of section 6).
    public static func decode(_ bytes: ByteBuffer?, as type: CQLDataType) throws(CQLDecodingError) -> CQLValue {
        guard var buffer = bytes else { return .null }
        switch type {
        case .ascii:
            return .ascii(buffer.readString(length: buffer.readableBytes) ?? "")
        case .varchar:
            return .text(buffer.readString(length: buffer.readableBytes) ?? "")
        case .blob:
            return .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .custom(let name):
            if name == CQLDataType.durationClassName {
                if buffer.readableBytes == 0 { return .null }
                return .duration(try CQLDuration.decode(from: &buffer))
            }
            return .custom(name, buffer.readBytes(length: buffer.readableBytes) ?? [])
        default:
            break
        }
        if buffer.readableBytes == 0 { return .null }
        switch type {
        case .bigint: return .bigint(try fixed(&buffer, Int64.self, type))
        case .counter: return .counter(try fixed(&buffer, Int64.self, type))
        case .time: return .time(try fixed(&buffer, Int64.self, type))
        case .timestamp: return .timestamp(try fixed(&buffer, Int64.self, type))
        case .int: return .int(try fixed(&buffer, Int32.self, type))
        case .smallint: return .smallint(try fixed(&buffer, Int16.self, type))
        case .tinyint: return .tinyint(try fixed(&buffer, Int8.self, type))
        case .date: return .date(try fixed(&buffer, UInt32.self, type))
        case .double: return .double(Double(bitPattern: try fixed(&buffer, UInt64.self, type)))
        case .float: return .float(Float(bitPattern: try fixed(&buffer, UInt32.self, type)))
        case .boolean: return .boolean(try fixed(&buffer, UInt8.self, type) != 0)
        case .uuid, .timeuuid:
            guard buffer.readableBytes == 16, let bytes = buffer.readBytes(length: 16) else {
                throw .invalid("\(type) of \(buffer.readableBytes) bytes")
            }
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
            return type == .uuid ? .uuid(uuid) : .timeuuid(uuid)
        case .inet:
            guard buffer.readableBytes == 4 || buffer.readableBytes == 16 else {
                throw .invalid("inet of \(buffer.readableBytes) bytes")
            }
            return .inet(CQLInet(bytes: buffer.readBytes(length: buffer.readableBytes) ?? []))
        case .varint:
            return .varint(CQLVarint(bytes: buffer.readBytes(length: buffer.readableBytes) ?? []))
        case .decimal:
            let scale = try buffer.readCQLInt()
            guard buffer.readableBytes > 0 else { throw .truncated("decimal") }
            let unscaled = CQLVarint(bytes: buffer.readBytes(length: buffer.readableBytes) ?? [])
            return .decimal(CQLDecimal(unscaled: unscaled, scale: scale))
        case .list(let element), .set(let element):
            let count = try buffer.readCQLInt()
            guard count >= 0 else { throw .invalid("collection size \(count)") }
            var elements: [CQLValue] = []
            elements.reserveCapacity(min(Int(count), buffer.readableBytes / 4))
            for _ in 0..<count { elements.append(try decode(try buffer.readCQLBytes(), as: element)) }
            if case .set = type { return .set(elements) }
            return .list(elements)
        case .map(let keyType, let valueType):
            let count = try buffer.readCQLInt()
            guard count >= 0 else { throw .invalid("map size \(count)") }
            var entries: [CQLMapEntry] = []
            for _ in 0..<count {
                let key = try decode(try buffer.readCQLBytes(), as: keyType)
                let value = try decode(try buffer.readCQLBytes(), as: valueType)
                entries.append(CQLMapEntry(key: key, value: value))
            }
            return .map(entries)
        case .tuple(let types):
            var elements: [CQLValue] = []
            for elementType in types {
                // A tuple value may carry fewer elements than its type; the rest are null.
                elements.append(
                    buffer.readableBytes == 0 ? .null : try decode(try buffer.readCQLBytes(), as: elementType))
            }
            return .tuple(elements)
        case .udt(_, _, let fieldTypes):
            var fields: [CQLUDTField] = []
            for field in fieldTypes {
                let value: CQLValue =
                    buffer.readableBytes == 0 ? .null : try decode(try buffer.readCQLBytes(), as: field.type)
                fields.append(CQLUDTField(name: field.name, value: value))
            }
            return .udt(fields)
        case .ascii, .varchar, .blob, .custom:
            throw .invalid("unreachable type \(type)")
        }
    }

    private static func fixed<T: FixedWidthInteger>(
        _ buffer: inout ByteBuffer,
        _: T.Type,
        _ type: CQLDataType
    ) throws(CQLDecodingError) -> T {
        guard buffer.readableBytes == MemoryLayout<T>.size,
            let value = buffer.readInteger(endianness: .big, as: T.self)
        else { throw .invalid("\(type) value of \(buffer.readableBytes) bytes") }
        return value
    }
}
