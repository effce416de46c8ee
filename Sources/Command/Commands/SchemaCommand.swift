import ArgumentParser
import Stores
import Pipeline

/// `userstream schema`: print (or apply) the store's schema.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the CQL of the keyspace and table (for cqlsh), or apply it with --apply.",
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Print the SQLite DDL instead of the CQL.")
    var sqlite = false

    @Flag(name: .long, help: "Create the schema in the --store instead of printing it.")
    var apply = false

    func run() async throws {
        let configuration = try global.load(storeOptions)
        let location = configuration.store.url
        if apply {
            try await PipelineBuilder(configuration: configuration, parts: .process).withStore { try await $0.prepare() }
            print("schema applied to \(location.split(separator: "?").first ?? "")")
            return
        }
        if sqlite {
            print(SQLiteUserStore.schemaSQL)
            return
        }
        let cassandra = try CassandraUserStore.Configuration(
            url: location.hasPrefix("cassandra://") ? location : "cassandra://127.0.0.1:9042/user_data")
        print(CassandraUserStore.schemaCQL(keyspace: cassandra.keyspace, replication: cassandra.replication))
    }
}
