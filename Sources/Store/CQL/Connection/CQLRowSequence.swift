/// The rows of a query across all its pages, fetched on demand: the next page is asked for only when the
/// rows of the current one have been consumed.
public struct CQLRowSequence: AsyncSequence, Sendable {
    /// A row.
    public typealias Element = CQLRow

    /// Fetches one page given the paging state (nil for the first page).
    public typealias PageFetcher = @Sendable ([UInt8]?) async throws -> CQLRows

    private let fetch: PageFetcher
    private let initialPagingState: [UInt8]?

    /// Creates a sequence from a page fetcher.
    public init(startingAt pagingState: [UInt8]? = nil, fetch: @escaping PageFetcher) {
        self.fetch = fetch
        self.initialPagingState = pagingState
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: self.fetch, pagingState: self.initialPagingState)
    }

    /// Iterates the rows, fetching pages as it goes.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let fetch: PageFetcher
        private var pagingState: [UInt8]?
        private var rows: [CQLRow] = []
        private var index = 0
        private var started = false
        /// How many pages have been fetched so far.
        public private(set) var pagesFetched = 0

        init(fetch: @escaping PageFetcher, pagingState: [UInt8]?) {
            self.fetch = fetch
            self.pagingState = pagingState
        }

        /// The next row, or nil after the last row of the last page.
        public mutating func next() async throws -> CQLRow? {
            while self.index >= self.rows.count {
                if self.started && self.pagingState == nil { return nil }
                self.started = true
                let page = try await self.fetch(self.pagingState)
                self.pagesFetched += 1
                self.rows = page.rows
                self.index = 0
                self.pagingState = page.pagingState
            }
            defer { self.index += 1 }
            return self.rows[self.index]
        }
    }

    /// Collects every row (all pages) into an array.
    public func collect() async throws -> [CQLRow] {
        var rows: [CQLRow] = []
        for try await row in self { rows.append(row) }
        return rows
    }
}
