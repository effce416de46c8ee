import StreamJSON

/// The Kafka envelope of a message of `random_users` (contract section 1): the headers the producer sets on every
/// message and how the processor reads them back. The one owner of the header names and their formats; the key
/// (`login.uuid`) and the value (the compact result object) come from the source.
public enum MessageEnvelope {
    /// The header naming where the record came from: the source's URL, or `synthetic`.
    public static let sourceHeader = "source"
    /// The header holding when the page was fetched: RFC 3339, UTC, with milliseconds (`2014-08-30T05:19:44.274Z`).
    public static let fetchedAtHeader = "fetched_at"
    /// The header naming the shape of the value.
    public static let schemaHeader = "schema"
    /// The value of the ``schemaHeader`` header: `randomuser/1.4`.
    public static let schema = "randomuser/1.4"

    /// The headers of every message of one fetched page, in this order: ``sourceHeader``, ``fetchedAtHeader``,
    /// ``schemaHeader``.
    ///
    /// - Parameters:
    ///   - source: The value of the `source` header (a URL, or `synthetic`).
    ///   - fetchedAt: When the page was fetched, UTC milliseconds.
    /// - Returns: Header names and UTF-8 values, independent of any Kafka client type.
    public static func headers(source: String, fetchedAt: Int64) -> [(name: String, value: [UInt8])] {
        var time: [UInt8] = []
        Timestamp.writeRFC3339(fetchedAt, into: &time)
        return [
            (sourceHeader, Array(source.utf8)),
            (fetchedAtHeader, time),
            (schemaHeader, Array(schema.utf8)),
        ]
    }

    /// Reads the value of a `fetched_at` header, in place.
    ///
    /// - Parameter value: The header's bytes.
    /// - Returns: UTC milliseconds; nil when the value is not a date the contract reads (section 7 item 9:
    ///   `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z` or an offset, years 0000–9999).
    public static func fetchedAt(fromHeader value: UnsafeRawBufferPointer) -> Int64? {
        Timestamp.parse(value)
    }
}
