import Foundation
import StreamJSON

/// A run's logical time: the instant of the interval it ingests (the scheduler's fire time, Airflow's
/// `logical_date`). The users of a logical time are fixed: their seed derives from it and their pages start at 1,
/// so a retry, a re-run or a backfill of the same interval produces the same users (the same Kafka keys) and the
/// store's upsert leaves it unchanged.
public enum LogicalTime {
    /// The seed of a logical time's users: the configured seed and the time, e.g. `userstream-20261206T000000Z`.
    /// Milliseconds are kept only when not zero.
    public static func seed(_ base: String, _ time: Date) -> String {
        let text = Timestamp.rfc3339(time.epochMilliseconds)  // 2026-12-06T00:00:00.000Z
        var compact = text.filter { $0 != "-" && $0 != ":" }  // 20261206T000000.000Z
        if compact.hasSuffix(".000Z") { compact = String(compact.dropLast(5)) + "Z" }
        return "\(base)-\(compact.replacingOccurrences(of: ".", with: ""))"
    }

    /// `2026-12-06T00:00:00Z` (RFC 3339, UTC; milliseconds only when not zero).
    public static func text(_ time: Date) -> String {
        let text = Timestamp.rfc3339(time.epochMilliseconds)
        return text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }

    /// Parses RFC 3339 with `Z` or an offset (`2026-12-06T00:00:00Z`, `2026-12-06T01:00:00+01:00`, with or without
    /// a fraction), as Airflow renders `logical_date`; nil otherwise.
    public static func parse(_ text: String) -> Date? {
        Timestamp.parse(text.trimmingCharacters(in: .whitespaces)).map(Date.init(epochMilliseconds:))
    }
}
