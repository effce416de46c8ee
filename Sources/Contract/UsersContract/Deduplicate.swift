/// Section 5: within one batch only the record with the highest offset for a `user_id` is written.
///
/// Rows with equal offsets (the elements of one envelope share a Kafka offset) or no offset: the later
/// one in `rows` wins. The result keeps the order in which each surviving row appears in `rows`.
public func deduplicate(_ rows: [UserRow]) -> [UserRow] {
    var winner: [String: Int] = [:]
    winner.reserveCapacity(rows.count)
    // By index: iterating the rows themselves would copy each one (and retain every string in it).
    for i in rows.indices {
        let id = rows[i].userID
        if let current = winner[id] {
            let currentOffset = rows[current].sourceOffset ?? Int64.min
            let offset = rows[i].sourceOffset ?? Int64.min
            if offset >= currentOffset { winner[id] = i }
        } else {
            winner[id] = i
        }
    }
    guard winner.count < rows.count else { return rows }
    var keep = [Bool](repeating: false, count: rows.count)
    for i in winner.values { keep[i] = true }
    return rows.indices.compactMap { keep[$0] ? rows[$0] : nil }
}
