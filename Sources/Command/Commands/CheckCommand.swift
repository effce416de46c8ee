import ArgumentParser
import Pipeline

/// `userstream check`: validate every setting, then try each connection the pipeline would make.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and try the broker, the topics, the store and the source.",
        discussion: """
            Takes the same flags, environment and pipeline file as run. Every unusable setting is one line naming it \
            and what is allowed. Unless --offline, each connection the pipeline would make is tried with a bounded \
            wait: one line per check. Exits 0 when all pass, 1 otherwise. Run it before deploying.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: SourceOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var serving: ServingOptions

    @Option(name: .long, help: "Which parts to check: run, ingest or process. Default: run.")
    var part: Part = .run

    @Flag(name: .long, help: "Only validate the settings; make no connection.")
    var offline = false

    @Flag(name: .long, help: "Print a complete pipeline file with every default (deploy/userstream.yaml) and exit.")
    var example = false

    @Option(name: .long, parsing: .unconditional, help: "The longest wait for each connection. Default: 30s.")
    var timeout: String?

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case run, ingest, process

        var parts: PipelineParts {
            switch self {
            case .run: .all
            case .ingest: .ingest
            case .process: .process
            }
        }
    }

    func run() async throws {
        if example {
            print(PipelineSetting.exampleFile(), terminator: "")
            return
        }
        let configuration: PipelineConfiguration
        do {
            configuration = try global.load(source, kafka, processing, store, serving)
        } catch let exit as ExitCode where exit == ExitCode(64) {
            throw ExitCode.failure
        }
        let wait = try durationOption(timeout, option: "--timeout") ?? .seconds(30)
        let settings = PipelineSetting.all.count
        print("ok   configuration: \(settings) settings valid" + (global.config.map { " (file \($0))" } ?? ""))
        let builder = PipelineBuilder(configuration: configuration, parts: part.parts)
        guard !offline else { return }
        let outcomes = await PipelineCheck(builder: builder, timeout: wait).run()
        outcomes.forEach { print($0) }
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode.failure }
    }
}
