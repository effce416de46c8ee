import ArgumentParser
import Kafka
import Logging
import UsersContract
import Pipeline

/// `userstream dlq`: inspect dead letters and replay chosen ones after a fix.
///
/// Both subcommands read the dead-letter topic with a ``DeadLetterReader``: the brokers and the topic are checked
/// first (an unreachable broker or a missing topic is one `Error:` line and exit 1, and nothing is created), then the
/// topic is read to its end as it was at the start. Letters are unique by the record they reject (its topic, partition
/// and offset): the copies a redelivered batch wrote are counted as such, never listed or replayed twice.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List dead letters by reason, and replay chosen ones back into the users topic.",
        version: UserStreamCommand.version,
        subcommands: [List.self, Replay.self]
    )

    /// The options both subcommands read the topic with.
    struct ReadOptions: ParsableArguments {
        @Option(
            name: .long, parsing: .unconditional,
            help: "The longest the read may take, the broker check included (at most 10s of it). Default: 60s.")
        var timeout: String?

        @Option(name: .long, parsing: .unconditional, help: .hidden)
        var idle: String?

        func validate() throws {
            let wait = try durationOption(timeout, option: "--timeout")
            if let wait, wait <= .zero { throw ValidationError("--timeout: '\(timeout ?? "")' must be more than 0s") }
            // Accepted for old scripts: the read now ends at the topic's end as it was at the start.
            _ = try durationOption(idle, option: "--idle")
        }

        /// A reader of `pipeline`'s dead-letter topic with these waits.
        func reader(_ pipeline: PipelineBuilder) throws -> DeadLetterReader {
            var configuration = DeadLetterReader.Configuration()
            if let wait = try durationOption(timeout, option: "--timeout") {
                configuration.timeout = wait
                configuration.checkTimeout = min(configuration.checkTimeout, wait)
            }
            return DeadLetterReader(builder: pipeline, configuration: configuration, logger: DLQCommand.logger)
        }
    }

    /// The commands' logger (made after `GlobalOptions.load` installed the log handler).
    static var logger: Logger { Logger(label: "userstream.dlq") }

    /// The pipeline's Kafka settings for reading dead letters.
    static func pipeline(_ global: GlobalOptions, _ kafka: KafkaOptions) throws -> PipelineBuilder {
        PipelineBuilder(configuration: try global.load(kafka), parts: .process)
    }

    /// `12 copies dropped`, or nothing for none.
    static func copies(_ count: Int) -> String {
        count == 0 ? "" : " (\(count) \(count == 1 ? "copy" : "copies") dropped)"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count dead letters by reason and show the latest ones.",
            discussion: """
                Letters are unique by the record they reject (its topic, partition and offset); copies written by a \
                redelivered batch are counted apart. Exits 1 when the brokers do not answer or the topic does not \
                exist (it is not created).
                """,
            version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var read: ReadOptions
        @Option(name: .long, parsing: .unconditional, help: "Show this many letters (newest last). Default: 20.")
        var show = 20
        @Flag(name: .long, help: "Show each letter whole, as its JSON (reason, detail, source, scrubbed payload).")
        var json = false

        func validate() throws {
            if show < 0 { throw ValidationError("--show: '\(show)' must be an integer of at least 0") }
        }

        func run() async throws {
            let pipeline = try DLQCommand.pipeline(global, kafka)
            let scan = try await read.reader(pipeline).read()
            print("\(scan.letters.count) dead letters in \(scan.topic)\(DLQCommand.copies(scan.copiesDropped))")
            for count in scan.byReason {
                print("  \(count.reason): \(count.letters)\(DLQCommand.copies(count.copiesDropped))")
            }
            if scan.skipped > 0 { print("  (\(scan.skipped) messages that are not dead letters skipped)") }
            for entry in scan.letters.suffix(show) {
                if json {
                    var out: [UInt8] = []
                    entry.letter.encodeJSON(into: &out)
                    print(String(decoding: out, as: UTF8.self))
                } else {
                    print(
                        "\(entry.position) \(entry.reason) from \(entry.source.map(String.init(describing:)) ?? "-"): "
                            + entry.letter.detail)
                }
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Produce chosen dead letters' records back into the users topic (after a fix).",
            discussion: """
                Choose by --reason and/or --offset (DLQ offsets as `dlq list` shows them). Each rejected record is \
                replayed once, however many copies of its letter the topic holds. Secrets were removed when the \
                record was dead-lettered and stay removed. An --offset that holds no letter is an error (nothing is \
                replayed); a known reason with no letter replays nothing.
                """,
            version: UserStreamCommand.version
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var read: ReadOptions
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Replay letters with this reason code (repeatable): "
                    + RejectReason.allCases.map(\.code).joined(separator: ", ") + "."))
        var reason: [String] = []
        @Option(
            name: .long, parsing: .unconditionalSingleValue, help: "Replay the letter at this DLQ offset (repeatable).")
        var offset: [Int64] = []
        @Flag(name: .long, help: "Replay every dead letter.") var all = false
        @Flag(name: .long, help: "Only say what would be replayed.") var dryRun = false

        func validate() throws {
            if !all && reason.isEmpty && offset.isEmpty {
                throw ValidationError("choose letters with --reason, --offset or --all")
            }
            let known = RejectReason.allCases.map(\.code)
            if let unknown = reason.first(where: { RejectReason(code: $0) == nil }) {
                throw ValidationError(
                    "--reason: '\(unknown)' is not a reason code; the codes are \(known.joined(separator: ", "))")
            }
            if let negative = offset.first(where: { $0 < 0 }) {
                throw ValidationError("--offset: '\(negative)' must be an offset of at least 0")
            }
        }

        func run() async throws {
            let pipeline = try DLQCommand.pipeline(global, kafka)
            let topic = pipeline.configuration.kafka.topic
            let scan = try await read.reader(pipeline).read()
            let reasons = Set(reason.compactMap(RejectReason.init(code:)))
            let chosen: [DeadLetterEntry]
            if all {
                chosen = scan.letters
            } else {
                let selection = scan.select(reasons: reasons, offsets: Set(offset))
                guard selection.unmatchedOffsets.isEmpty else {
                    let offsets = selection.unmatchedOffsets.map(String.init).joined(separator: ", ")
                    throw DLQError(
                        "no dead letter at offset(s) \(offsets) of \(scan.topic); nothing was replayed "
                            + "(see `userstream dlq list`)")
                }
                chosen = selection.letters
                let present = Set(scan.letters.map(\.reason))
                for code in reason where !present.contains(RejectReason(code: code)!) {
                    print("no dead letter has reason \(code)")
                }
            }
            let copies = DLQCommand.copies(scan.copiesDropped)
            if dryRun {
                print("would replay \(chosen.count) of \(scan.letters.count) dead letters into \(topic)\(copies)")
                return
            }
            if !chosen.isEmpty { try await Self.send(chosen, to: topic, pipeline: pipeline) }
            print("replayed \(chosen.count) of \(scan.letters.count) dead letters into \(topic)\(copies)")
        }

        /// Produces the letters' records into `topic` (with the replay's headers) and waits for every delivery.
        private static func send(
            _ letters: [DeadLetterEntry], to topic: String, pipeline: PipelineBuilder
        ) async throws {
            let headers = MessageEnvelope.kafkaHeaders(source: "dlq-replay", fetchedAt: WallClock.milliseconds())
            let producer = try KafkaProducer(
                configuration: pipeline.producerConfiguration(brokers: pipeline.externalBrokers),
                logger: DLQCommand.logger)
            do {
                _ = try await producer.send(
                    letters.map {
                        KafkaOutgoingMessage(
                            topic: topic, key: $0.key, value: $0.letter.payload.bytes, headers: headers)
                    })
                try await producer.close()
            } catch {
                try? await producer.close()
                throw error
            }
        }
    }
}

/// A runtime failure of `dlq`: printed as one `Error:` line, exit 1 (no usage text).
struct DLQError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
