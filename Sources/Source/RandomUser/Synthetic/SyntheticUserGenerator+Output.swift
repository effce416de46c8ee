import StreamJSON

extension SyntheticUserGenerator {
    /// Users `0..<count` of `page`, one message each (compact JSON value, `login.uuid` key).
    ///
    /// - Parameters:
    ///   - page: The 1-based page.
    ///   - count: How many users.
    /// - Returns: The users; the same for the same seed, page and count.
    public func users(page: Int, count: Int) -> [FetchedUser] {
        guard count > 0 else { return [] }
        var users: [FetchedUser] = []
        users.reserveCapacity(count)
        self.withWriter(capacity: 2 * Self.maxUserBytes) { writer, pool in
            for index in 0..<count {
                writer.count = 0
                let key = self.writeUser(page: page, index: index, into: &writer, pool: pool)
                let bytes = writer.bytes
                let keyBytes = key.map { Array(UnsafeBufferPointer(rebasing: bytes[$0])) } ?? []
                users.append(FetchedUser(key: keyBytes, value: Array(bytes)))
            }
        }
        return users
    }

    /// Appends users `indices` of `page` to `buffer` as JSON Lines (one user, then `\n`).
    ///
    /// - Parameters:
    ///   - page: The 1-based page. Default: 1.
    ///   - indices: Which users of the page.
    ///   - buffer: Where the lines go.
    public func appendJSONL(page: Int = 1, indices: Range<Int>, into buffer: inout [UInt8]) {
        guard !indices.isEmpty else { return }
        let chunk = 1 << 20
        self.withWriter(capacity: chunk + 2 * Self.maxUserBytes) { writer, pool in
            for index in indices {
                _ = self.writeUser(page: page, index: index, into: &writer, pool: pool)
                writer.byte(UInt8(ascii: "\n"))
                if writer.count >= chunk {
                    buffer.append(contentsOf: writer.bytes)
                    writer.count = 0
                }
            }
            buffer.append(contentsOf: writer.bytes)
        }
    }

    /// A whole API response for `page`: `{"results":[...],"info":{"seed":...,"results":N,"page":P,"version":"1.4"}}`.
    ///
    /// - Parameters:
    ///   - page: The 1-based page.
    ///   - count: Users in `results`.
    ///   - seed: The `info.seed` text. Default: the configuration's seed.
    /// - Returns: The compact JSON body.
    public func envelope(page: Int, count: Int, seed: String? = nil) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(64 + max(count, 0) * 1100)
        self.withWriter(capacity: (1 << 20) + 2 * Self.maxUserBytes) { writer, pool in
            writer.write("{\"results\":[")
            for index in 0..<max(count, 0) {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                _ = self.writeUser(page: page, index: index, into: &writer, pool: pool)
                if writer.count >= 1 << 20 {
                    body.append(contentsOf: writer.bytes)
                    writer.count = 0
                }
            }
            body.append(contentsOf: writer.bytes)
        }
        body.append(contentsOf: "],\"info\":{\"seed\":".utf8)
        JSONWriter.writeString(seed ?? self.configuration.seed, into: &body)
        body.append(contentsOf: ",\"results\":\(max(count, 0)),\"page\":\(page),\"version\":\"1.4\"}}".utf8)
        return body
    }

    /// Generates `count` users (page 1, users `0..<count`) as JSON Lines and appends them to `buffer`.
    ///
    /// - Parameters:
    ///   - count: How many lines.
    ///   - seed: The seed text.
    ///   - badFraction: The fraction of bad records (0...1). Default: 0.
    ///   - buffer: Where the lines go.
    public static func generateJSONL(count: Int, seed: String, badFraction: Double = 0, into buffer: inout [UInt8]) {
        let generator = SyntheticUserGenerator(configuration: Configuration(seed: seed, badFraction: badFraction))
        generator.appendJSONL(page: 1, indices: 0..<max(count, 0), into: &buffer)
    }
}
