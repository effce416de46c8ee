extension UserSource {
    /// The pages that together hold `total` users, fetched one after another as the sequence is iterated.
    ///
    /// - Parameters:
    ///   - total: Users wanted in all.
    ///   - pageSize: Users per request. Default: 5,000 (the API's maximum).
    ///   - firstPage: The 1-based number of the first page. Default: 1.
    /// - Returns: A sequence of pages; it ends after `total` users or at the first empty page
    ///   (an empty page means the source has nothing this time; the caller decides when to try again).
    public func pages(total: Int, pageSize: Int = 5000, firstPage: Int = 1) -> UserPageSequence {
        UserPageSequence(source: self, total: total, pageSize: pageSize, firstPage: firstPage)
    }

    /// Fetches `total` users in pages of up to `pageSize`.
    ///
    /// - Parameters:
    ///   - total: Users wanted in all.
    ///   - pageSize: Users per request. Default: 5,000.
    ///   - firstPage: The 1-based number of the first page. Default: 1.
    /// - Returns: The pages in order; fewer users than `total` when a page came back empty.
    /// - Throws: The first error of ``fetch(count:page:)``.
    public func fetch(total: Int, pageSize: Int = 5000, firstPage: Int = 1) async throws -> [UserPage] {
        var pages: [UserPage] = []
        for try await page in self.pages(total: total, pageSize: pageSize, firstPage: firstPage) {
            pages.append(page)
        }
        return pages
    }
}

/// The pages of a ``UserSource`` that add up to a number of users; see ``UserSource/pages(total:pageSize:firstPage:)``.
public struct UserPageSequence: AsyncSequence, Sendable {
    /// A page.
    public typealias Element = UserPage

    private let source: any UserSource
    private let total: Int
    private let pageSize: Int
    private let firstPage: Int

    init(source: any UserSource, total: Int, pageSize: Int, firstPage: Int) {
        self.source = source
        self.total = total
        self.pageSize = Swift.max(1, pageSize)
        self.firstPage = firstPage
    }

    /// Makes an iterator that fetches pages on demand.
    public func makeAsyncIterator() -> Iterator {
        Iterator(source: self.source, remaining: self.total, pageSize: self.pageSize, page: self.firstPage)
    }

    /// Fetches the next page on each call to `next()`.
    public struct Iterator: AsyncIteratorProtocol {
        private let source: any UserSource
        private var remaining: Int
        private let pageSize: Int
        private var page: Int

        init(source: any UserSource, remaining: Int, pageSize: Int, page: Int) {
            self.source = source
            self.remaining = remaining
            self.pageSize = pageSize
            self.page = page
        }

        /// The next page, or nil once `total` users were delivered or a page came back empty.
        public mutating func next() async throws -> UserPage? {
            guard self.remaining > 0 else { return nil }
            let result = try await self.source.fetch(count: Swift.min(self.remaining, self.pageSize), page: self.page)
            self.page += 1
            if result.users.isEmpty {
                self.remaining = 0
                return nil
            }
            self.remaining -= result.users.count
            return result
        }
    }
}
