import ArgumentParser
import Foundation
import UserStreamRuntime

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

    @Option(name: .long, help: "Input JSONL file, or - for stdin. Default: -. (env: USERSTREAM_INPUT)")
    var input: String?

    @Option(name: .long, help: "Rows JSONL file, or - for stdout. Default: -. (env: USERSTREAM_OUTPUT)")
    var output: String?

    @Option(name: .long, help: "Rejects JSONL file, or - for stdout. Default: rejects.jsonl beside the output (in the current folder for stdout). (env: USERSTREAM_REJECTS)")
    var rejects: String?

    @Option(name: .long, help: "Lines larger than this are rejected as too_large, unparsed. Default: 1048576. (env: USERSTREAM_MAX_MESSAGE_BYTES)")
    var maxMessageBytes: Int?

    @Option(name: .long, help: "Worker threads. Default: the number of cores. (env: USERSTREAM_THREADS)")
    var threads: Int?

    func run() async throws {
        let settings = try global.bootstrap(command: "transform")
        let inputPath = settings.string("input", input, default: "-")
        let outputPath = settings.string("output", output, default: "-")
        let rejectsPath = settings.optionalString("rejects", rejects) ?? Self.defaultRejects(forOutput: outputPath)
        var configuration = BatchTransformJob.Configuration()
        configuration.maxMessageBytes = try settings.int("max-message-bytes", maxMessageBytes, default: 1 << 20)
        configuration.threads = try settings.int("threads", threads, default: ProcessInfo.processInfo.activeProcessorCount)
        let job = BatchTransformJob(configuration: configuration)
        let result = try job.run(inputPath: inputPath, outputPath: outputPath, rejectsPath: rejectsPath)
        FileHandle.standardError.write(Data((result.summaryText + "\n").utf8))
    }

    /// `rejects.jsonl` in the output's folder (the current folder when the output is stdout).
    static func defaultRejects(forOutput output: String) -> String {
        guard output != "-" else { return "rejects.jsonl" }
        let folder = (output as NSString).deletingLastPathComponent
        return folder.isEmpty ? "rejects.jsonl" : folder + "/rejects.jsonl"
    }
}
