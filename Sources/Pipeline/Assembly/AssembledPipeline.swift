#if canImport(Glibc)
import Glibc
#endif
import Kafka
import Logging
import ServiceLifecycle
import Serving
import Synchronization
import UnixSignals

/// The services of one process, in dependency order, ready to run as one `ServiceGroup`.
public final class AssembledPipeline: Sendable {
    /// The services, first started first; a graceful stop stops them last first.
    public let services: [ServiceGroupConfiguration.ServiceConfiguration]
    /// The pipeline's counters (progress, summary).
    public let counters: PipelineCounters
    /// The progress reporter, also one of ``services``.
    public let reporter: ProgressReporter
    /// What the HTTP face serves, when it is on (`job.serveHTTP` and an address).
    public let serving: PipelineServingBackend?
    private let consumer: KafkaConsumer?

    /// After ``run(signals:)``: messages stored (or dead-lettered) whose offsets the group coordinator never
    /// confirmed committing. They will be delivered again (harmlessly: the store upserts). 0 without a processor.
    public var uncommittedMessages: Int { consumer?.uncommittedMessages ?? 0 }

    /// The HTTP server, when it is on (its ``HTTPServer/boundPort`` once listening).
    public let httpServer: HTTPServer?
    private let tally: StoreTally?
    private let stopped: StopLog
    private let logger: Logger

    init(
        services: [ServiceGroupConfiguration.ServiceConfiguration], counters: PipelineCounters,
        reporter: ProgressReporter, tally: StoreTally?, logger: Logger, serving: PipelineServingBackend? = nil,
        httpServer: HTTPServer? = nil, consumer: KafkaConsumer? = nil
    ) {
        self.consumer = consumer
        self.serving = serving
        self.httpServer = httpServer
        let stopped = StopLog()
        let names = services.map { String(describing: type(of: $0.service)) }
        self.services = zip(services, names).map { configuration, name in
            .init(
                service: TracedService(service: configuration.service, name: name, log: stopped, logger: logger),
                successTerminationBehavior: configuration.successTerminationBehavior,
                failureTerminationBehavior: configuration.failureTerminationBehavior,
                serviceName: name
            )
        }
        self.counters = counters
        self.reporter = reporter
        self.tally = tally
        self.stopped = stopped
        self.logger = logger
    }

    /// The services' names in start order (their types: `EmbeddedKafkaBroker`, `SQLiteUserStore`, ...).
    public var serviceNames: [String] { services.map(\.serviceName) }

    /// The services' names in the order their `run()` returned (a graceful stop: the reverse of start order).
    public var stopOrder: [String] { stopped.names }

    /// One `ServiceGroup` over ``services`` that stops gracefully on `signals`.
    /// - Parameter signals: the signals that start a graceful stop. Default: SIGTERM and SIGINT.
    public func serviceGroup(signals: [UnixSignal] = [.sigterm, .sigint]) -> ServiceGroup {
        ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
    }

    /// Runs the group until the job is done or a signal stops it. The first of `signals` starts a graceful stop
    /// (drain, commit, close in reverse order); a second one exits the process at once with status 1 (what was not
    /// committed is read again at the next start).
    /// - Parameter signals: the signals that stop the pipeline. Default: SIGTERM and SIGINT.
    /// - Returns: the summary to print, with the rows in the store when the processor ran here.
    public func run(signals: [UnixSignal] = [.sigterm, .sigint]) async throws -> String {
        let group = serviceGroup(signals: [])
        let signalled = await UnixSignalsSequence(trapping: signals)
        let watcher = Task { [logger] in
            var received = 0
            for await signal in signalled {
                received += 1
                if received == 1 {
                    logger.notice("stopping gracefully (a second signal exits at once)", metadata: ["signal": "\(signal)"])
                    await group.triggerGracefulShutdown()
                } else {
                    logger.warning("second signal: exiting now; what was not committed is read again at the next start")
                    exit(1)
                }
            }
        }
        defer { watcher.cancel() }
        try await group.run()
        var summary = reporter.summary(storeCount: tally?.count)
        if uncommittedMessages > 0 {
            summary += "\n  NOT COMMITTED  \(uncommittedMessages)  (stored, but the group coordinator never confirmed their "
                + "offsets: they will be delivered again, and the store's upsert leaves the rows as they are)"
        }
        return summary
    }
}

/// The names of the services that stopped, in order.
final class StopLog: Sendable {
    private let list = Mutex<[String]>([])
    var names: [String] { list.withLock { $0 } }
    func append(_ name: String) { list.withLock { $0.append(name) } }
}

/// Runs a service and notes when it stopped, so the stop order can be logged and tested.
struct TracedService: Service, CustomStringConvertible {
    let service: any Service
    let name: String
    let log: StopLog
    let logger: Logger

    var description: String { name }

    func run() async throws {
        defer {
            log.append(name)
            logger.debug("service stopped", metadata: ["service": "\(name)"])
        }
        try await service.run()
    }
}
