import BatchTransform
import ArgumentParser
import Foundation
import Pipeline

/// `userstream transform`: the contract's batch form over newline-delimited JSON.
struct TransformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Apply the users contract to a JSONL file: rows to --output, rejects to --rejects.",
        discussion: """
            Input: one RandomUser result or one whole envelope per line. Output: one row per accepted record, in \
            input order, as JSON with the contract's column names. Rejects: one dead letter per line. Streams with \
            constant memory and uses every core. The summary goes to stderr. Exits 0 when the whole input was read, \
            whatever was rejected.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Input JSONL file, or - for stdin. Default: -.")
    var input = "-"

    @Option(name: .long, help: "Rows JSONL file, or - for stdout. Default: -.")
    var output = "-"

    @Option(
        name: .long,
        help: "Rejects JSONL file, or - for stdout. Default: rejects.jsonl beside the output (in the current folder for stdout).")
    var rejects: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(PipelineSetting.maxMessageBytes.help))
    var maxMessageBytes: String?

    @Option(name: .long, parsing: .unconditional, help: "Worker threads. Default: the number of cores.")
    var threads: String?

    /// The one pipeline setting `transform` takes.
    struct Limits: SettingFlags {
        var maxMessageBytes: String?
        var given: [String: SettingValue] { collect(entry(.maxMessageBytes, maxMessageBytes)) }
    }

    func run() async throws {
        let pipeline = try global.load(Limits(maxMessageBytes: maxMessageBytes))
        var configuration = BatchTransformJob.Configuration()
        configuration.maxMessageBytes = pipeline.processing.maxMessageBytes
        configuration.threads = try wholeNumberOption(threads, option: "--threads", minimum: 1)
            ?? ProcessInfo.processInfo.activeProcessorCount
        let job = BatchTransformJob(configuration: configuration)
        let result = try job.run(inputPath: input, outputPath: output, rejectsPath: rejects ?? Self.defaultRejects(forOutput: output))
        FileHandle.standardError.write(Data((result.summaryText + "\n").utf8))
    }

    /// `rejects.jsonl` in the output's folder (the current folder when the output is stdout).
    static func defaultRejects(forOutput output: String) -> String {
        guard output != "-" else { return "rejects.jsonl" }
        let folder = (output as NSString).deletingLastPathComponent
        return folder.isEmpty ? "rejects.jsonl" : folder + "/rejects.jsonl"
    }
}
