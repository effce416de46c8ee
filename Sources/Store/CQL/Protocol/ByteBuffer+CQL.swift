import NIOCore

// The notations of section 3 of the native protocol v4 specification.
extension ByteBuffer {
    // MARK: [short], [int], [long]

    mutating func writeCQLShort(_ value: UInt16) { self.writeInteger(value, endianness: .big) }

    mutating func readCQLShort() throws(CQLDecodingError) -> UInt16 {
        guard let value = self.readInteger(endianness: .big, as: UInt16.self) else { throw .truncated("[short]") }
        return value
    }

    mutating func writeCQLInt(_ value: Int32) { self.writeInteger(value, endianness: .big) }

    mutating func readCQLInt() throws(CQLDecodingError) -> Int32 {
        guard let value = self.readInteger(endianness: .big, as: Int32.self) else { throw .truncated("[int]") }
        return value
    }

    mutating func writeCQLLong(_ value: Int64) { self.writeInteger(value, endianness: .big) }

    mutating func readCQLLong() throws(CQLDecodingError) -> Int64 {
        guard let value = self.readInteger(endianness: .big, as: Int64.self) else { throw .truncated("[long]") }
        return value
    }

    mutating func readCQLByte() throws(CQLDecodingError) -> UInt8 {
        guard let value = self.readInteger(as: UInt8.self) else { throw .truncated("[byte]") }
        return value
    }

    // MARK: [string], [long string], [string list]

    /// Writes a `[string]`: a [short] length then UTF-8 bytes.
    mutating func writeCQLString(_ string: String) {
        let lengthIndex = self.writerIndex
        self.writeInteger(UInt16(0), endianness: .big)
        let written = self.writeString(string)
        self.setInteger(UInt16(truncatingIfNeeded: written), at: lengthIndex, endianness: .big)
    }

    mutating func readCQLString() throws(CQLDecodingError) -> String {
        let length = try self.readCQLShort()
        guard let string = self.readString(length: Int(length)) else { throw .truncated("[string]") }
        return string
    }

    /// Writes a `[long string]`: an [int] length then UTF-8 bytes.
    mutating func writeCQLLongString(_ string: String) {
        let lengthIndex = self.writerIndex
        self.writeInteger(Int32(0), endianness: .big)
        let written = self.writeString(string)
        self.setInteger(Int32(truncatingIfNeeded: written), at: lengthIndex, endianness: .big)
    }

    mutating func readCQLLongString() throws(CQLDecodingError) -> String {
        let length = try self.readCQLInt()
        guard length >= 0, let string = self.readString(length: Int(length)) else { throw .truncated("[long string]") }
        return string
    }

    mutating func writeCQLStringList(_ list: [String]) {
        self.writeCQLShort(UInt16(truncatingIfNeeded: list.count))
        for string in list { self.writeCQLString(string) }
    }

    mutating func readCQLStringList() throws(CQLDecodingError) -> [String] {
        let count = try self.readCQLShort()
        var list: [String] = []
        list.reserveCapacity(Int(count))
        for _ in 0..<count { list.append(try self.readCQLString()) }
        return list
    }

    // MARK: maps

    mutating func writeCQLStringMap(_ map: [(String, String)]) {
        self.writeCQLShort(UInt16(truncatingIfNeeded: map.count))
        for (key, value) in map {
            self.writeCQLString(key)
            self.writeCQLString(value)
        }
    }

    mutating func readCQLStringMap() throws(CQLDecodingError) -> [String: String] {
        let count = try self.readCQLShort()
        var map: [String: String] = [:]
        for _ in 0..<count {
            let key = try self.readCQLString()
            map[key] = try self.readCQLString()
        }
        return map
    }

    mutating func readCQLStringMultimap() throws(CQLDecodingError) -> [String: [String]] {
        let count = try self.readCQLShort()
        var map: [String: [String]] = [:]
        for _ in 0..<count {
            let key = try self.readCQLString()
            map[key] = try self.readCQLStringList()
        }
        return map
    }

    mutating func readCQLBytesMap() throws(CQLDecodingError) -> [String: ByteBuffer?] {
        let count = try self.readCQLShort()
        var map: [String: ByteBuffer?] = [:]
        for _ in 0..<count {
            let key = try self.readCQLString()
            map[key] = .some(try self.readCQLBytes())
        }
        return map
    }

    // MARK: [bytes], [short bytes], [value]

    /// Writes `[bytes]`; `nil` is written as length -1 (null).
    mutating func writeCQLBytes(_ bytes: ByteBuffer?) {
        guard var bytes else {
            self.writeCQLInt(-1)
            return
        }
        self.writeCQLInt(Int32(truncatingIfNeeded: bytes.readableBytes))
        self.writeBuffer(&bytes)
    }

    mutating func writeCQLBytes(_ bytes: [UInt8]) {
        self.writeCQLInt(Int32(truncatingIfNeeded: bytes.count))
        self.writeBytes(bytes)
    }

    /// Reads `[bytes]`; a negative length is `nil` (null).
    mutating func readCQLBytes() throws(CQLDecodingError) -> ByteBuffer? {
        let length = try self.readCQLInt()
        if length < 0 { return nil }
        guard let slice = self.readSlice(length: Int(length)) else { throw .truncated("[bytes]") }
        return slice
    }

    mutating func writeCQLShortBytes(_ bytes: [UInt8]) {
        self.writeCQLShort(UInt16(truncatingIfNeeded: bytes.count))
        self.writeBytes(bytes)
    }

    mutating func readCQLShortBytes() throws(CQLDecodingError) -> [UInt8] {
        let length = try self.readCQLShort()
        guard let bytes = self.readBytes(length: Int(length)) else { throw .truncated("[short bytes]") }
        return bytes
    }

    // MARK: [uuid], [inet], [consistency]

    mutating func readCQLUUIDBytes() throws(CQLDecodingError) -> [UInt8] {
        guard let bytes = self.readBytes(length: 16) else { throw .truncated("[uuid]") }
        return bytes
    }

    /// Reads an `[inet]`: a [byte] size, the address bytes, then an [int] port.
    mutating func readCQLInet() throws(CQLDecodingError) -> CQLInet {
        let size = try self.readCQLByte()
        guard size == 4 || size == 16 else { throw .invalid("[inet] with an address of \(size) bytes") }
        guard let bytes = self.readBytes(length: Int(size)) else { throw .truncated("[inet]") }
        let port = try self.readCQLInt()
        return CQLInet(bytes: bytes, port: Int(port))
    }

    mutating func writeCQLInet(_ inet: CQLInet) {
        self.writeInteger(UInt8(inet.bytes.count))
        self.writeBytes(inet.bytes)
        self.writeCQLInt(Int32(truncatingIfNeeded: inet.port ?? 0))
    }

    mutating func writeCQLConsistency(_ consistency: CQLConsistency) { self.writeCQLShort(consistency.rawValue) }

    mutating func readCQLConsistency() throws(CQLDecodingError) -> CQLConsistency {
        CQLConsistency(rawValue: try self.readCQLShort())
    }
}
