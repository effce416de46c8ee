import ArgumentParser

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
            ProcessCommand.self,
            TransformCommand.self,
            UsersCommand.self,
            TopicsCommand.self,
            DLQCommand.self,
            SchemaCommand.self,
            BenchCommand.self,
        ]
    )
}
