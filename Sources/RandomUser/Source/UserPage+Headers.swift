extension UserPage {
    /// The value of the `schema` header of every message: `randomuser/1.4`.
    public static let schemaHeaderValue = "randomuser/1.4"

    /// The Kafka headers for every message of this page, in this order:
    /// `source` (the source's ``UserSource/name``), `fetched_at` (RFC 3339 UTC with milliseconds, from ``fetchedAt``)
    /// and `schema` (`randomuser/1.4`).
    ///
    /// - Parameter source: The source that produced the page.
    /// - Returns: Header names and UTF-8 values, independent of any Kafka client type.
    public func headers(for source: some UserSource) -> [(String, [UInt8])] {
        self.headers(sourceName: source.name)
    }

    /// The Kafka headers for every message of this page, with an explicit `source` value.
    ///
    /// - Parameter sourceName: The value of the `source` header (a URL, or `synthetic`).
    /// - Returns: `source`, `fetched_at` and `schema`, as in ``headers(for:)``.
    public func headers(sourceName: String) -> [(String, [UInt8])] {
        [
            ("source", Array(sourceName.utf8)),
            ("fetched_at", RFC3339.format(milliseconds: self.fetchedAt)),
            ("schema", Array(Self.schemaHeaderValue.utf8)),
        ]
    }
}
