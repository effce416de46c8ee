/// Section 5: within one batch only the record with the highest offset for a `user_id` is written.
///
/// Rows with equal offsets (the elements of one envelope share a Kafka offset) or no offset: the later
/// one in `rows` wins. The result keeps the order in which each surviving row appears in `rows`.
public func deduplicate(_ rows: [UserRow]) -> [UserRow] {
    var winner: [String: Int] = [:]
    winner.reserveCapacity(rows.count)
    for (i, row) in rows.enumerated() {
        if let current = winner[row.userID] {
            let currentOffset = rows[current].sourceOffset ?? Int64.min
            let offset = row.sourceOffset ?? Int64.min
            if offset >= currentOffset { winner[row.userID] = i }
        } else {
            winner[row.userID] = i
        }
    }
    guard winner.count < rows.count else { return rows }
    var keep = [Bool](repeating: false, count: rows.count)
    for i in winner.values { keep[i] = true }
    return rows.indices.compactMap { keep[$0] ? rows[$0] : nil }
}
