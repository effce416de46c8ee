import ArgumentParser
import Pipeline

/// `userstream serve`: the HTTP face over a store, without a pipeline.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the read API, /health, /ready, /metrics and the dashboard over the store, without a pipeline.",
        discussion: """
            The same HTTP face as run and process (see --http), for reading a store that other processes fill: \
            /api/users/{id}, /api/users?limit=&after= (keyset pagination in id order), /api/stats, /health, /ready \
            (the store answers), /metrics, and the dashboard at /. Bound beyond 127.0.0.1 it requires a bearer token \
            (USERSTREAM_HTTP_TOKEN or --http-token-file) on every route but /health. Stops on SIGINT or SIGTERM.
            """,
        version: UserStreamCommand.version
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var serving: ServingOptions

    func run() async throws {
        let configuration = try global.load(store, serving)
        var job = PipelineJob()
        job.serveHTTP = true
        let pipeline = try await PipelineBuilder(configuration: configuration, parts: [], job: job).build()
        _ = try await pipeline.run()
    }
}
