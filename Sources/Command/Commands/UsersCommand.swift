import ArgumentParser
import Stores
import Pipeline
import UsersContract

/// `userstream users`: read and erase stored users.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Look up stored users (count, get, latest) and erase one (the right to be forgotten).",
        version: UserStreamCommand.version,
        subcommands: [Count.self, Get.self, Latest.self, Delete.self]
    )

    /// Opens the configured store, runs `body`, closes the store.
    static func withStore<T>(
        _ global: GlobalOptions, _ options: StoreOptions,
        _ body: (any UserStore) async throws -> T
    ) async throws -> T {
        let builder = PipelineBuilder(configuration: try global.load(options), parts: .process)
        // Reading never creates a store: a path with no file is a mistake to report.
        if builder.storeFileExists == false {
            throw CommandFailure(
                "the store \(builder.configuration.store.url) does not exist; check --store (run and process create it)")
        }
        return try await builder.withStore(body)
    }

    static func printRow(_ row: UserRow) {
        var bytes: [UInt8] = []
        RowJSON.encode(row, into: &bytes)
        print(String(decoding: bytes, as: UTF8.self))
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print how many users are stored.", version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var store: StoreOptions
        func run() async throws {
            let count = try await UsersCommand.withStore(global, store) { try await $0.count() }
            print(count)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one user as a JSON row; exit 1 if absent.", version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var store: StoreOptions
        @Argument(help: "The user_id (a UUID).") var id: String
        func run() async throws {
            let row = try await UsersCommand.withStore(global, store) {
                try await $0.get(userID: id.lowercased())
            }
            guard let row else { throw CommandFailure("no user \(id) in the store") }
            UsersCommand.printRow(row)
        }
    }

    struct Latest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the N most recently processed users as JSON rows.", version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var store: StoreOptions
        @Argument(help: "How many. Default: 10.") var n: Int = 10
        func run() async throws {
            let rows = try await UsersCommand.withStore(global, store) { try await $0.latest(n) }
            rows.forEach(UsersCommand.printRow)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Erase one user; exit 1 if absent.", version: UserStreamCommand.version)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var store: StoreOptions
        @Argument(help: "The user_id (a UUID).") var id: String
        func run() async throws {
            let existed = try await UsersCommand.withStore(global, store) {
                try await $0.delete(userID: id.lowercased())
            }
            guard existed else { throw CommandFailure("no user \(id) in the store") }
            print("deleted \(id.lowercased())")
        }
    }
}
