import StreamJSON

/// Reads an HTTP `Retry-After` value: delay-seconds, or an HTTP date (IMF-fixdate, RFC 850 or asctime form).
enum RetryAfter {
    /// The delay the value asks for.
    ///
    /// - Parameters:
    ///   - value: The header value.
    ///   - nowMilliseconds: The wall clock, UTC milliseconds (for the date form).
    /// - Returns: The delay (zero for a date in the past), or nil when the value cannot be read.
    static func delay(_ value: String, nowMilliseconds: Int64) -> Duration? {
        let trimmed = value.trimmingASCIISpaces()
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            guard let seconds = Int64(trimmed) else { return .seconds(Int64.max / 1_000_000_000_000) }
            return .seconds(seconds)
        }
        guard let date = self.parseHTTPDate(trimmed) else { return nil }
        let delta = date - nowMilliseconds
        return delta > 0 ? .milliseconds(delta) : .zero
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`.
    ///
    /// - Returns: UTC milliseconds since the Unix epoch, or nil.
    static func parseHTTPDate(_ text: String) -> Int64? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (Int, Int, Int)?
        if fields.count == 6, fields[5].uppercased() == "GMT" {
            // IMF-fixdate: Sun 06 Nov 1994 08:49:37 GMT
            day = Int(fields[1])
            month = self.month(fields[2])
            year = Int(fields[3])
            time = self.time(fields[4])
        } else if fields.count == 4, fields[3].uppercased() == "GMT" {
            // RFC 850: Sunday 06-Nov-94 08:49:37 GMT
            let parts = fields[1].split(separator: "-").map(String.init)
            guard parts.count == 3 else { return nil }
            day = Int(parts[0])
            month = self.month(parts[1])
            if let shortYear = Int(parts[2]) { year = shortYear < 70 ? 2000 + shortYear : 1900 + shortYear }
            time = self.time(fields[2])
        } else if fields.count == 5 {
            // asctime: Sun Nov 6 08:49:37 1994
            month = self.month(fields[1])
            day = Int(fields[2])
            time = self.time(fields[3])
            year = Int(fields[4])
        }
        guard let day, let month, let year, let time, (1...31).contains(day) else { return nil }
        return Timestamp.milliseconds(
            year: Int64(year), month: Int64(month), day: Int64(day), hour: Int64(time.0), minute: Int64(time.1),
            second: Int64(time.2))
    }

    private static func month(_ name: String) -> Int? {
        self.months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func time(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, (0...23).contains(parts[0]), (0...59).contains(parts[1]), (0...60).contains(parts[2])
        else { return nil }
        return (parts[0], parts[1], parts[2])
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    func trimmingASCIISpaces() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
