#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a batch transform stopped before the end of its input.
public struct BatchTransformError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed: a struct over a private enum, so new codes don't break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case openFailed = "open_failed"
            case readFailed = "read_failed"
            case writeFailed = "write_failed"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A file could not be opened.
        public static let openFailed = Code(.openFailed)
        /// Reading the input failed.
        public static let readFailed = Code(.readFailed)
        /// Writing an output failed.
        public static let writeFailed = Code(.writeFailed)

        /// The code as a snake_case string.
        public var description: String { base.rawValue }
    }

    /// What failed.
    public var code: Code
    /// The file concerned (`-` for a standard stream, or `fd N`).
    public var path: String
    /// The C `errno` value.
    public var errno: Int32

    /// Creates an error.
    public init(code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    /// `"<code>: <path>: <strerror>"`.
    public var description: String {
        let reason = strerror(errno).map { String(cString: $0) } ?? "errno \(errno)"
        return "\(code): \(path): \(reason)"
    }
}
