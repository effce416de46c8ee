import ArgumentParser
import Kafka
import Logging
import StreamJSON
import UsersContract
import Pipeline

/// `userstream dlq`: inspect dead letters and replay chosen ones after a fix.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List dead letters by reason, and replay chosen ones back into the users topic.",
        version: UserStreamCommand.version,
        subcommands: [List.self, Replay.self]
    )

    /// One dead letter as read back from the topic, with where it sits there.
    struct Letter {
        var dlqPartition: Int32
        var dlqOffset: Int64
        var letter: DeadLetter
        /// The Kafka key to replay with: the letter's, else the dead-letter message's.
        var key: [UInt8]?

        var reason: String { letter.reason.code }
        /// `topic[partition]@offset` of the record, or `-` for a batch reject.
        var source: String {
            guard let topic = letter.topic, let partition = letter.partition, let offset = letter.offset else { return "-" }
            return "\(topic)[\(partition)]@\(offset)"
        }
    }

    /// Reads every dead letter from the start of the topic, with a throw-away consumer group that commits nothing.
    static func readAll(_ pipeline: PipelineBuilder, idle: Duration, logger: Logger) async throws -> [Letter] {
        var configuration = pipeline.consumerConfiguration(brokers: pipeline.externalBrokers)
        configuration.groupID = "userstream-dlq-reader-\(UInt32.random(in: 0...UInt32.max))"
        configuration.autoOffsetReset = .earliest
        let consumer = try KafkaConsumer(
            configuration: configuration, topics: [pipeline.configuration.kafka.deadLetterTopic], logger: logger)
        var letters: [Letter] = []
        var parser = JSONParser()
        // The idle clock starts once the group has assigned the partitions (joining takes a few seconds).
        var lastMessage: ContinuousClock.Instant?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let lastMessage, ContinuousClock.now - lastMessage >= idle { break }
            let batch = try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(250))
            if !batch.messages.isEmpty { lastMessage = .now }
            if lastMessage == nil, batch.events.contains(where: { if case .assigned = $0 { true } else { false } }) {
                lastMessage = .now
            }
            for message in batch.messages {
                if let letter = decode(message, parser: &parser) {
                    letters.append(letter)
                } else {
                    logger.warning("skipping a message that is not a dead letter", metadata: ["offset": "\(message.offset)"])
                }
            }
        }
        try await consumer.close()
        return letters
    }

    private static func decode(_ message: KafkaConsumedMessage, parser: inout JSONParser) -> Letter? {
        message.value.withUnsafeBytes { DeadLetter.decode($0, parser: &parser) }.map { letter in
            Letter(
                dlqPartition: message.partition, dlqOffset: message.offset, letter: letter,
                key: letter.key.map { Array($0.utf8) } ?? message.key)
        }
    }

    /// The pipeline's Kafka settings for reading dead letters.
    static func pipeline(_ global: GlobalOptions, _ kafka: KafkaOptions) throws -> PipelineBuilder {
        PipelineBuilder(configuration: try global.load(kafka), parts: .process)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count dead letters by reason and show the latest ones.", version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var kafka: KafkaOptions
        @Option(name: .long, help: "Show this many letters (newest last). Default: 20.") var show = 20
        @Option(name: .long, help: "Stop reading after no message for this long. Default: 3s.") var idle: String?

        func run() async throws {
            let pipeline = try DLQCommand.pipeline(global, kafka)
            let idleDuration = try durationOption(idle, option: "--idle") ?? .seconds(3)
            let letters = try await DLQCommand.readAll(pipeline, idle: idleDuration, logger: Logger(label: "userstream.dlq"))
            print("\(letters.count) dead letters in \(pipeline.configuration.kafka.deadLetterTopic)")
            var byReason: [String: Int] = [:]
            for letter in letters { byReason[letter.reason, default: 0] += 1 }
            for (reason, count) in byReason.sorted(by: { $0.value > $1.value }) {
                print("  \(reason): \(count)")
            }
            for letter in letters.suffix(max(0, show)) {
                print("[\(letter.dlqPartition)@\(letter.dlqOffset)] \(letter.reason) from \(letter.source): \(letter.letter.detail)")
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Produce chosen dead letters' records back into the users topic (after a fix).",
            discussion: "Choose by --reason and/or --offset (DLQ offsets as `dlq list` shows them). Secrets were removed when the record was dead-lettered and stay removed.",
            version: UserStreamCommand.version
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var kafka: KafkaOptions
        @Option(name: .long, help: "Replay letters with this reason code (repeatable).") var reason: [String] = []
        @Option(name: .long, help: "Replay the letter at this DLQ offset (repeatable).") var offset: [Int64] = []
        @Flag(name: .long, help: "Replay every dead letter.") var all = false
        @Flag(name: .long, help: "Only say what would be replayed.") var dryRun = false
        @Option(name: .long, help: "Stop reading after no message for this long. Default: 3s.") var idle: String?

        func validate() throws {
            if !all && reason.isEmpty && offset.isEmpty {
                throw ValidationError("choose letters with --reason, --offset or --all")
            }
        }

        func run() async throws {
            let pipeline = try DLQCommand.pipeline(global, kafka)
            let kafkaSettings = pipeline.configuration.kafka
            let logger = Logger(label: "userstream.dlq")
            let idleDuration = try durationOption(idle, option: "--idle") ?? .seconds(3)
            let letters = try await DLQCommand.readAll(pipeline, idle: idleDuration, logger: logger)
            let reasons = Set(reason)
            let offsets = Set(offset)
            let chosen = letters.filter { all || reasons.contains($0.reason) || offsets.contains($0.dlqOffset) }
            if dryRun {
                print("would replay \(chosen.count) of \(letters.count) dead letters")
                return
            }
            let fetchedAt = MessageEnvelope.kafkaHeaders(source: "dlq-replay", fetchedAt: WallClock.milliseconds())
            let producer = try KafkaProducer(
                configuration: pipeline.producerConfiguration(brokers: pipeline.externalBrokers), logger: logger)
            let messages = chosen.map {
                KafkaOutgoingMessage(topic: kafkaSettings.topic, key: $0.key, value: $0.letter.payload.bytes, headers: fetchedAt)
            }
            if !messages.isEmpty { _ = try await producer.send(messages) }
            try await producer.close()
            print("replayed \(messages.count) of \(letters.count) dead letters into \(kafkaSettings.topic)")
        }
    }
}
