import CQL
import UsersContract

extension CassandraUserStore {
    /// The upsert: every column, then the write timestamp (contract section 5).
    static func insertCQL(keyspace: String, table: String) -> String {
        let columns = UserRow.columnNames
        let markers = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return
            "INSERT INTO \(keyspace).\(table) (\(columns.joined(separator: ", "))) "
            + "VALUES (\(markers)) USING TIMESTAMP ?"
    }

    /// The column list of reads.
    static var selectColumns: String { UserRow.columnNames.joined(separator: ", ") }

    /// The write timestamp of a row in microseconds: its `fetchedAt` (the record's version), else `processedAt`.
    static func writeTimestamp(_ row: UserRow) -> Int64 {
        let milliseconds = row.fetchedAt ?? row.processedAt
        let (micros, overflow) = milliseconds.multipliedReportingOverflow(by: 1000)
        return overflow ? (milliseconds < 0 ? .min : .max) : micros
    }

    /// The bound values of the upsert in column order, then the timestamp. An absent (nil) column is
    /// ``CQLValue/unset``: it is not written at all, so no tombstone is created.
    static func bindValues(_ row: UserRow) -> [CQLValue] {
        func text(_ value: String?) -> CQLValue { value.map { .text($0) } ?? .unset }
        func timestamp(_ value: Int64?) -> CQLValue { value.map { .timestamp($0) } ?? .unset }
        return [
            .text(row.userID), text(row.title), .text(row.firstName), .text(row.lastName), .text(row.gender),
            .text(row.email), text(row.username),
            text(row.address), text(row.city), text(row.state), text(row.country), text(row.postcode),
            row.latitude.map { .double($0) } ?? .unset, row.longitude.map { .double($0) } ?? .unset,
            timestamp(row.dateOfBirth), row.age.map { .int($0) } ?? .unset,
            timestamp(row.registrationDate),
            text(row.phone), text(row.cell), text(row.nationality), text(row.pictureURL),
            timestamp(row.fetchedAt), .timestamp(row.processedAt),
            row.sourcePartition.map { .int($0) } ?? .unset, row.sourceOffset.map { .bigint($0) } ?? .unset,
            .bigint(self.writeTimestamp(row)),
        ]
    }

    /// A stored row back as a ``UserRow``; null columns are nil (first/last name and gender fall back to the
    /// contract's defaults, which a written row always has).
    static func userRow(from row: CQLRow) throws -> UserRow {
        UserRow(
            userID: try row.decode(String.self, column: "user_id"),
            title: try row.decode(String?.self, column: "title"),
            firstName: try row.decode(String?.self, column: "first_name") ?? "Unknown",
            lastName: try row.decode(String?.self, column: "last_name") ?? "Unknown",
            gender: try row.decode(String?.self, column: "gender") ?? "unspecified",
            email: try row.decode(String?.self, column: "email") ?? "",
            username: try row.decode(String?.self, column: "username"),
            address: try row.decode(String?.self, column: "address"),
            city: try row.decode(String?.self, column: "city"),
            state: try row.decode(String?.self, column: "state"),
            country: try row.decode(String?.self, column: "country"),
            postcode: try row.decode(String?.self, column: "postcode"),
            latitude: try row.decode(Double?.self, column: "latitude"),
            longitude: try row.decode(Double?.self, column: "longitude"),
            dateOfBirth: try row.decode(Int64?.self, column: "date_of_birth"),
            age: try row.decode(Int32?.self, column: "age"),
            registrationDate: try row.decode(Int64?.self, column: "registration_date"),
            phone: try row.decode(String?.self, column: "phone"),
            cell: try row.decode(String?.self, column: "cell"),
            nationality: try row.decode(String?.self, column: "nationality"),
            pictureURL: try row.decode(String?.self, column: "picture_url"),
            fetchedAt: try row.decode(Int64?.self, column: "fetched_at"),
            processedAt: try row.decode(Int64?.self, column: "processed_at") ?? 0,
            sourcePartition: try row.decode(Int32?.self, column: "source_partition"),
            sourceOffset: try row.decode(Int64?.self, column: "source_offset")
        )
    }

    /// Keeps the last row of each user id (the caller orders rows oldest first), in first-seen order.
    static func lastPerUser(_ rows: [UserRow]) -> [UserRow] {
        var index: [String: Int] = [:]
        var result: [UserRow] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            if let position = index[row.userID] {
                result[position] = row
            } else {
                index[row.userID] = result.count
                result.append(row)
            }
        }
        return result
    }

    /// Inserts `row` into `top` (sorted newest first by processed_at, then user id) keeping at most `limit`.
    static func keepNewest(_ row: UserRow, in top: inout [UserRow], limit: Int) {
        guard limit > 0 else { return }
        func newer(_ a: UserRow, _ b: UserRow) -> Bool {
            a.processedAt != b.processedAt ? a.processedAt > b.processedAt : a.userID < b.userID
        }
        if top.count == limit, let last = top.last, !newer(row, last) { return }
        var low = 0
        var high = top.count
        while low < high {
            let middle = (low + high) / 2
            if newer(top[middle], row) { low = middle + 1 } else { high = middle }
        }
        top.insert(row, at: low)
        if top.count > limit { top.removeLast() }
    }
}
