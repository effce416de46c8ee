import NIOCore

/// `<query_parameters>` of QUERY and EXECUTE (section 4.1.4).
public struct CQLQueryParameters: Sendable, Hashable {
    /// The consistency level.
    public var consistency: CQLConsistency
    /// Bound values, by position (or by name when ``names`` is set).
    public var values: [CQLValue]
    /// Names of the bound values (flag 0x40), one per value; nil to bind by position.
    public var names: [String]?
    /// Asks the server not to repeat the result metadata (flag 0x02; for prepared statements).
    public var skipMetadata: Bool
    /// Rows per page (flag 0x04); nil for no paging.
    public var pageSize: Int32?
    /// Where to continue (flag 0x08).
    public var pagingState: [UInt8]?
    /// The serial consistency of conditional updates (flag 0x10).
    public var serialConsistency: CQLConsistency?
    /// The default write timestamp in microseconds (flag 0x20).
    public var defaultTimestamp: Int64?

    /// Creates parameters.
    public init(
        consistency: CQLConsistency,
        values: [CQLValue] = [],
        names: [String]? = nil,
        skipMetadata: Bool = false,
        pageSize: Int32? = nil,
        pagingState: [UInt8]? = nil,
        serialConsistency: CQLConsistency? = nil,
        defaultTimestamp: Int64? = nil
    ) {
        self.consistency = consistency
        self.values = values
        self.names = names
        self.skipMetadata = skipMetadata
        self.pageSize = pageSize
        self.pagingState = pagingState
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
    }

    /// The flags byte these parameters need.
    public var flags: UInt8 {
        var flags: UInt8 = 0
        if !self.values.isEmpty { flags |= 0x01 }
        if self.skipMetadata { flags |= 0x02 }
        if self.pageSize != nil { flags |= 0x04 }
        if self.pagingState != nil { flags |= 0x08 }
        if self.serialConsistency != nil { flags |= 0x10 }
        if self.defaultTimestamp != nil { flags |= 0x20 }
        if self.names != nil, !self.values.isEmpty { flags |= 0x40 }
        return flags
    }

    /// Writes the parameters.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCQLConsistency(self.consistency)
        let flags = self.flags
        buffer.writeInteger(flags)
        if flags & 0x01 != 0 {
            buffer.writeCQLShort(UInt16(truncatingIfNeeded: self.values.count))
            for (index, value) in self.values.enumerated() {
                if flags & 0x40 != 0, let names = self.names {
                    buffer.writeCQLString(index < names.count ? names[index] : "")
                }
                value.encodeAsValue(into: &buffer)
            }
        }
        if let pageSize { buffer.writeCQLInt(pageSize) }
        if let pagingState { buffer.writeCQLBytes(pagingState) }
        if let serialConsistency { buffer.writeCQLConsistency(serialConsistency) }
        if let defaultTimestamp { buffer.writeCQLLong(defaultTimestamp) }
    }
}
