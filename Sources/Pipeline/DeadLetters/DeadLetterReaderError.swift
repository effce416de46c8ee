/// Why a ``DeadLetterReader`` could not read the dead-letter topic.
///
/// The ``description`` is one line naming the brokers or the topic, and what to check.
public struct DeadLetterReaderError: Error, CustomStringConvertible {
    /// What went wrong. A struct over a private enum, so new codes don't break callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String { case brokersUnreachable, topicMissing, timedOut }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The brokers did not answer the metadata request in time (or refused it).
        public static let brokersUnreachable = Code(.brokersUnreachable)
        /// The dead-letter topic does not exist (it is not created).
        public static let topicMissing = Code(.topicMissing)
        /// The topic could not be read to its end before the deadline.
        public static let timedOut = Code(.timedOut)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The brokers asked.
    public var brokers: String
    /// The dead-letter topic.
    public var topic: String
    /// What happened, in one line.
    public var detail: String

    /// An error.
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - brokers: the brokers asked.
    ///   - topic: the dead-letter topic.
    ///   - detail: what happened, in one line.
    public init(_ code: Code, brokers: String, topic: String, detail: String) {
        self.code = code
        self.brokers = brokers
        self.topic = topic
        self.detail = detail
    }

    /// ``detail``.
    public var description: String { detail }
}
