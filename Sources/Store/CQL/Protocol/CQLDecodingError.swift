/// A frame, message or value that does not follow the native protocol v4 specification.
public struct CQLDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, in words.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }

    /// The buffer ended before a value of the given notation was complete.
    static func truncated(_ what: String) -> CQLDecodingError { CQLDecodingError("truncated \(what)") }
    /// A value was complete but not valid.
    static func invalid(_ what: String) -> CQLDecodingError { CQLDecodingError("invalid \(what)") }

    /// A human-readable description.
    public var description: String { "CQL decoding error: \(self.message)" }
}
