import NIOCore

/// A `duration` value: months, days and nanoseconds, each signed (all with the same sign in valid values).
///
/// Protocol v4 carries it as the custom type `org.apache.cassandra.db.marshal.DurationType`, encoded as
/// three zig-zag [vint]s.
public struct CQLDuration: Sendable, Hashable, CustomStringConvertible {
    /// Whole months.
    public var months: Int32
    /// Whole days.
    public var days: Int32
    /// Nanoseconds.
    public var nanoseconds: Int64

    /// Creates a duration.
    public init(months: Int32, days: Int32, nanoseconds: Int64) {
        self.months = months
        self.days = days
        self.nanoseconds = nanoseconds
    }

    /// `<months>mo<days>d<nanoseconds>ns`.
    public var description: String { "\(self.months)mo\(self.days)d\(self.nanoseconds)ns" }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeCQLVInt(Int64(self.months))
        buffer.writeCQLVInt(Int64(self.days))
        buffer.writeCQLVInt(self.nanoseconds)
    }

    static func decode(from buffer: inout ByteBuffer) throws(CQLDecodingError) -> CQLDuration {
        let months = try buffer.readCQLVInt()
        let days = try buffer.readCQLVInt()
        let nanoseconds = try buffer.readCQLVInt()
        guard let months32 = Int32(exactly: months), let days32 = Int32(exactly: days) else {
            throw .invalid("duration months/days out of range")
        }
        return CQLDuration(months: months32, days: days32, nanoseconds: nanoseconds)
    }
}

extension ByteBuffer {
    /// Writes Cassandra's variable-length integer: zig-zag, then the count of extra bytes as leading
    /// one bits of the first byte.
    mutating func writeCQLUnsignedVInt(_ value: UInt64) {
        let leadingZeros = (value | 1).leadingZeroBitCount
        let size = (639 - leadingZeros * 9) >> 6  // 1...9 bytes
        let extraBytes = size - 1
        if extraBytes == 0 {
            self.writeInteger(UInt8(value))
            return
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var remaining = value
        for index in stride(from: size - 1, through: 0, by: -1) {
            bytes[index] = UInt8(truncatingIfNeeded: remaining)
            remaining >>= 8
        }
        let mask: UInt8 = extraBytes >= 8 ? 0xFF : ~(0xFF >> UInt8(extraBytes))
        bytes[0] |= mask
        self.writeBytes(bytes)
    }

    mutating func writeCQLVInt(_ value: Int64) {
        self.writeCQLUnsignedVInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func readCQLUnsignedVInt() throws(CQLDecodingError) -> UInt64 {
        let first = try self.readCQLByte()
        let extraBytes = (~first).leadingZeroBitCount
        if extraBytes == 0 { return UInt64(first) }
        var value: UInt64 = extraBytes >= 8 ? 0 : UInt64(first & (0xFF >> UInt8(extraBytes)))
        for _ in 0..<extraBytes { value = value << 8 | UInt64(try self.readCQLByte()) }
        return value
    }

    mutating func readCQLVInt() throws(CQLDecodingError) -> Int64 {
        let raw = try self.readCQLUnsignedVInt()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
