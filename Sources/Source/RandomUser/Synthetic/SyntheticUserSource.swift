/// The offline source: users from ``SyntheticUserGenerator``, with no network.
///
/// Its ``name`` (the `source` header) is `synthetic`. Pages are deterministic for (seed, page).
public struct SyntheticUserSource: UserSource {
    /// The settings of the source.
    public typealias Configuration = SyntheticUserGenerator.Configuration

    /// The generator behind the source.
    public let generator: SyntheticUserGenerator
    private let clock: SourceClock
    private let maxPageSize: Int

    /// `synthetic`.
    public var name: String { "synthetic" }

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - configuration: Seed, bad fraction and options. Default: seed `userstream`, no bad records.
    ///   - maxPageSize: The largest page made; larger counts are clamped. Default: 5,000 (as the API).
    ///   - clock: Supplies `fetchedAt`. Default: ``SourceClock/system``.
    public init(configuration: Configuration = Configuration(), maxPageSize: Int = 5000, clock: SourceClock = .system) {
        self.generator = SyntheticUserGenerator(configuration: configuration)
        self.maxPageSize = max(1, maxPageSize)
        self.clock = clock
    }

    /// Generates one page.
    ///
    /// - Parameters:
    ///   - count: Users, clamped to `maxPageSize`; zero or less gives an empty page.
    ///   - page: The 1-based page.
    /// - Returns: The page, with the configured seed.
    public func fetch(count: Int, page: Int) async throws -> UserPage {
        try Task.checkCancellation()
        let users = self.generator.users(page: page, count: min(count, self.maxPageSize))
        return UserPage(
            users: users, fetchedAt: self.clock.wallMilliseconds(), seed: self.generator.configuration.seed, page: page)
    }
}
