/// One element of the API's `results[]`, as the producer puts it on the `random_users` topic.
public struct FetchedUser: Sendable, Hashable {
    /// The message key: `login.uuid` as UTF-8, exactly as given (unescaped, not trimmed);
    /// empty when the element has no string `login.uuid` (or is not an object, or not JSON).
    public var key: [UInt8]
    /// The message value: the result element as compact UTF-8 JSON, every value byte-for-byte as the source wrote it
    /// (only insignificant white space outside strings is removed).
    public var value: [UInt8]

    /// Creates a user message.
    ///
    /// - Parameters:
    ///   - key: The `login.uuid` bytes, or empty.
    ///   - value: The compact JSON bytes of the element.
    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
