import ArgumentParser
import Logging
import UserStore
import UserStreamRuntime

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
        let settings = try global.bootstrap(command: "schema")
        let location = settings.string("store", storeOptions.store, default: "cassandra://127.0.0.1:9042/user_data")
        if apply {
            let store = try StoreFactory.make(location, environment: .current, logger: Logger(label: "userstream.schema"))
            try await store.prepare()
            try await store.close()
            print("schema applied to \(location.split(separator: "?").first ?? "")")
            return
        }
        if sqlite {
            print(SQLiteUserStore.schemaSQL)
            return
        }
        let configuration: CassandraUserStore.Configuration
        if location.hasPrefix("cassandra://") {
            configuration = try CassandraUserStore.Configuration(url: location)
        } else {
            configuration = try CassandraUserStore.Configuration(url: "cassandra://127.0.0.1:9042/user_data")
        }
        print(CassandraUserStore.schemaCQL(keyspace: configuration.keyspace, replication: configuration.replication))
    }
}
