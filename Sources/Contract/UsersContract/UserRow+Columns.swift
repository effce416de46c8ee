extension UserRow {
    /// The contract's columns, in table order: the one list the stores' DDL, inserts and reads are made from.
    public static let columns: [UserColumn] = [
        UserColumn("user_id", .text, isPrimaryKey: true),
        UserColumn("title", .text),
        UserColumn("first_name", .text),
        UserColumn("last_name", .text),
        UserColumn("gender", .text),
        UserColumn("email", .text),
        UserColumn("username", .text),
        UserColumn("address", .text),
        UserColumn("city", .text),
        UserColumn("state", .text),
        UserColumn("country", .text),
        UserColumn("postcode", .text),
        UserColumn("latitude", .double),
        UserColumn("longitude", .double),
        UserColumn("date_of_birth", .timestamp),
        UserColumn("age", .int),
        UserColumn("registration_date", .timestamp),
        UserColumn("phone", .text),
        UserColumn("cell", .text),
        UserColumn("nationality", .text),
        UserColumn("picture_url", .text),
        UserColumn("fetched_at", .timestamp),
        UserColumn("processed_at", .timestamp),
        UserColumn("source_partition", .int),
        UserColumn("source_offset", .bigint),
    ]

    /// The names of ``columns``, in table order.
    public static let columnNames: [String] = columns.map(\.name)
}
