/// One page of users as a source delivered it, ready to be produced as one Kafka message per user.
public struct UserPage: Sendable {
    /// The users of the page, in the order the source gave them.
    public var users: [FetchedUser]
    /// When the page was received, in milliseconds since the Unix epoch (UTC).
    public var fetchedAt: Int64
    /// The seed the source reported for the page (`info.seed`), if any.
    public var seed: String?
    /// The 1-based page number.
    public var page: Int

    /// Creates a page.
    ///
    /// - Parameters:
    ///   - users: The users, in source order.
    ///   - fetchedAt: Receive time, UTC milliseconds.
    ///   - seed: The seed the source reported, if any.
    ///   - page: The 1-based page number.
    public init(users: [FetchedUser], fetchedAt: Int64, seed: String? = nil, page: Int) {
        self.users = users
        self.fetchedAt = fetchedAt
        self.seed = seed
        self.page = page
    }

    /// Whether the page holds no users.
    public var isEmpty: Bool { self.users.isEmpty }
}
