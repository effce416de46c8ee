/// An error from a Kafka client: what failed (``code``), librdkafka's error name and a message.
///
/// librdkafka error codes are never turned into crashes; they all end up here.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of operation failed. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case configuration, clientCreation, produce, delivery, consume, commit, admin
            case timedOut, closed, mockCluster, forwarder, invalidArgument
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A librdkafka property was rejected.
        public static let configuration = Code(.configuration)
        /// `rd_kafka_new` failed.
        public static let clientCreation = Code(.clientCreation)
        /// A message could not be enqueued.
        public static let produce = Code(.produce)
        /// One or more messages were not acknowledged by the broker (see ``KafkaError/failures``).
        public static let delivery = Code(.delivery)
        /// A consumer operation (subscribe, poll) failed.
        public static let consume = Code(.consume)
        /// Committing offsets failed.
        public static let commit = Code(.commit)
        /// An admin request (create/describe topics, group offsets, metadata) failed.
        public static let admin = Code(.admin)
        /// The operation did not finish in time.
        public static let timedOut = Code(.timedOut)
        /// The client was already closed.
        public static let closed = Code(.closed)
        /// The embedded (mock) broker could not be started or changed.
        public static let mockCluster = Code(.mockCluster)
        /// The fixed-port forwarder of the embedded broker failed.
        public static let forwarder = Code(.forwarder)
        /// An argument was invalid (for example a topic name with a NUL byte).
        public static let invalidArgument = Code(.invalidArgument)

        /// The code's name.
        public var description: String { self.value.rawValue }
    }

    /// One message of a ``KafkaProducer`` batch that was not delivered.
    public struct MessageFailure: Sendable, Hashable, CustomStringConvertible {
        /// The message's index in the array passed to `send`.
        public var index: Int
        /// The message's topic.
        public var topic: String
        /// librdkafka's numeric error code (`rd_kafka_resp_err_t`).
        public var rdKafkaCode: Int32
        /// librdkafka's error name (`rd_kafka_err2name`), such as `MSG_TIMED_OUT`.
        public var errorName: String
        /// librdkafka's error text (`rd_kafka_err2str`).
        public var message: String
        /// Whether the broker may have stored the message anyway (librdkafka's `rd_kafka_message_status`).
        public var persistence: Persistence = .notPersisted

        /// A one-line summary.
        public var description: String {
            "#\(self.index) (\(self.topic)): \(self.errorName): \(self.message) (\(self.persistence))"
        }
    }

    /// What a failed message left in the topic.
    public enum Persistence: String, Sendable, Hashable, CustomStringConvertible {
        /// It never reached a broker, or the broker refused it: sending it again writes it once.
        case notPersisted = "not persisted"
        /// It was sent, but no answer came before the timeout: the broker may have stored it, and sending it again
        /// may write it twice (the store's upsert keeps one row per user).
        case possiblyPersisted = "possibly persisted"

        public var description: String { rawValue }
    }

    /// What kind of operation failed.
    public var code: Code
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`), when the error came from librdkafka.
    public var rdKafkaCode: Int32?

    /// Whether the consumer group cannot go on with this error: a setting the broker refuses or an authorization it
    /// lacks, which retrying does not fix — INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL, INVALID_GROUP_ID,
    /// GROUP/TOPIC/CLUSTER_AUTHORIZATION_FAILED, SASL authentication failures, librdkafka's `_FATAL` and
    /// `_AUTHENTICATION`. librdkafka recovers from the others itself (rejoins, reconnects).
    public var isFatalForGroup: Bool {
        guard let rdKafkaCode else { return false }
        return [26, 23, 24, 30, 29, 31, 58, -150, -169].contains(rdKafkaCode)
    }
    /// librdkafka's error name (`rd_kafka_err2name`), such as `UNKNOWN_TOPIC_OR_PART`, or `""`.
    public var errorName: String
    /// A human-readable explanation.
    public var message: String
    /// For ``Code/delivery``: every message that failed (the others were delivered).
    public var failures: [MessageFailure]

    /// Creates an error.
    /// - Parameters:
    ///   - code: what kind of operation failed.
    ///   - rdKafkaCode: librdkafka's numeric code, if any.
    ///   - errorName: librdkafka's error name, if any.
    ///   - message: a human-readable explanation.
    ///   - failures: the failed messages of a delivery error.
    public init(
        code: Code,
        rdKafkaCode: Int32? = nil,
        errorName: String = "",
        message: String,
        failures: [MessageFailure] = []
    ) {
        self.code = code
        self.rdKafkaCode = rdKafkaCode
        self.errorName = errorName
        self.message = message
        self.failures = failures
    }

    /// `KafkaError(code, name): message`.
    public var description: String {
        var text = "KafkaError(\(self.code)"
        if !self.errorName.isEmpty { text += ", \(self.errorName)" }
        text += "): \(self.message)"
        if !self.failures.isEmpty {
            text += " [" + self.failures.prefix(5).map(\.description).joined(separator: "; ")
            if self.failures.count > 5 { text += "; … \(self.failures.count - 5) more" }
            text += "]"
        }
        return text
    }
}
