import ArgumentParser

/// `userstream`: the RandomUser → Kafka → transform → store pipeline in one Swift program.
@main
struct UserStreamCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "userstream",
        abstract: "A real-time users pipeline: RandomUser API → Kafka → transform → SQLite or Cassandra.",
        discussion: """
            Every option can also come from the environment (--foo-bar ↔ USERSTREAM_FOO_BAR) or from a config \
            file (--config FILE or USERSTREAM_CONFIG; 'foo-bar = value' lines, optional [command] sections), in \
            that order of precedence: flag, environment, file, default.
            """,
        version: version,
        subcommands: [
            RunCommand.self,
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
