import ArgumentParser
import Pipeline

/// `userstream`: the RandomUser → Kafka → transform → store pipeline in one Swift program.
@main
struct UserStreamCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "userstream",
        abstract: "A real-time users pipeline: RandomUser API → Kafka → transform → SQLite or Cassandra.",
        discussion: """
            Every setting comes from, in this order: its flag (--foo-bar), its environment variable \
            (USERSTREAM_FOO_BAR), the pipeline file (--config userstream.yaml or USERSTREAM_CONFIG; YAML or JSON, \
            see deploy/userstream.yaml), its default. `userstream check` validates them all.
            """,
        version: version,
        subcommands: [
            RunCommand.self,
            CheckCommand.self,
            BrokerCommand.self,
            IngestCommand.self,
            ScheduleCommand.self,
            RunsCommand.self,
            ServeCommand.self,
            ProcessCommand.self,
            TransformCommand.self,
            UsersCommand.self,
            TopicsCommand.self,
            DLQCommand.self,
            SchemaCommand.self,
            BenchCommand.self,
        ]
    )

    /// Parses and runs the command. A `ValidationError` thrown while running (a value only the loaded
    /// configuration can judge) is a usage error like one found while parsing: one `Error:` line, exit 64, but
    /// without the root command's usage text, which would not be the command's own.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            StandardError.write("Error: \(error.message)\n")
            Self.exit(withError: ExitCode(64))
        } catch {
            Self.exit(withError: error)
        }
    }
}
