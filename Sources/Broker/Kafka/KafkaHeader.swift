/// A Kafka record header: a name and an optional byte value.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name.
    public var name: String
    /// The header value; `nil` is a null header value (different from an empty one).
    public var value: [UInt8]?

    /// Creates a header from bytes.
    /// - Parameters:
    ///   - name: the header name.
    ///   - value: the value bytes, or `nil` for a null value.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header whose value is the UTF-8 of `string`.
    /// - Parameters:
    ///   - name: the header name.
    ///   - string: the value as text.
    public init(name: String, string: String) {
        self.name = name
        self.value = Array(string.utf8)
    }

    /// The value decoded as UTF-8 (invalid bytes repaired), or `nil` for a null value.
    public var stringValue: String? {
        self.value.map { String(decoding: $0, as: UTF8.self) }
    }
}
