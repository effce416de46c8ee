/// Something that produces pages of RandomUser results: the HTTP API or the offline generator.
///
/// Implementations are `Sendable` and may be called from several tasks at once.
public protocol UserSource: Sendable {
    /// What goes in the `source` Kafka header: the base URL, or `"synthetic"`.
    var name: String { get }

    /// Fetches one page of up to `count` users.
    ///
    /// - Parameters:
    ///   - count: How many users to ask for. Values above the source's page limit (5,000 for the API) are clamped;
    ///     zero or less returns an empty page without any work.
    ///   - page: The 1-based page number. With a fixed seed, the same page gives the same users.
    /// - Returns: The page. An empty page means "nothing this time", not an error.
    /// - Throws: ``RandomUserError`` when the source fails for good (after its retries).
    func fetch(count: Int, page: Int) async throws -> UserPage
}
