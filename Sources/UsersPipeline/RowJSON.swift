import StreamJSON

/// The batch form of a row (contract section 6): one compact JSON object keyed by the column names,
/// in table order, absent columns left out; text as strings, coordinates as numbers, `age`,
/// `source_partition`, `source_offset` as integers, timestamps as RFC 3339 UTC strings with milliseconds.
public enum RowJSON {
    /// Appends the row's JSON object, without a newline.
    public static func encode(_ row: UserRow, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONWriter.writeKey("user_id", into: &out)
        JSONWriter.writeString(row.userID, into: &out)
        text(",\"title\":", row.title, &out)
        text(",\"first_name\":", row.firstName, &out)
        text(",\"last_name\":", row.lastName, &out)
        text(",\"gender\":", row.gender, &out)
        text(",\"email\":", row.email, &out)
        text(",\"username\":", row.username, &out)
        text(",\"address\":", row.address, &out)
        text(",\"city\":", row.city, &out)
        text(",\"state\":", row.state, &out)
        text(",\"country\":", row.country, &out)
        text(",\"postcode\":", row.postcode, &out)
        if let latitude = row.latitude {
            raw(",\"latitude\":", &out)
            JSONWriter.writeDouble(latitude, into: &out)
        }
        if let longitude = row.longitude {
            raw(",\"longitude\":", &out)
            JSONWriter.writeDouble(longitude, into: &out)
        }
        time(",\"date_of_birth\":", row.dateOfBirth, &out)
        if let age = row.age {
            raw(",\"age\":", &out)
            JSONWriter.writeInt(Int64(age), into: &out)
        }
        time(",\"registration_date\":", row.registrationDate, &out)
        text(",\"phone\":", row.phone, &out)
        text(",\"cell\":", row.cell, &out)
        text(",\"nationality\":", row.nationality, &out)
        text(",\"picture_url\":", row.pictureURL, &out)
        time(",\"fetched_at\":", row.fetchedAt, &out)
        time(",\"processed_at\":", row.processedAt, &out)
        if let partition = row.sourcePartition {
            raw(",\"source_partition\":", &out)
            JSONWriter.writeInt(Int64(partition), into: &out)
        }
        if let offset = row.sourceOffset {
            raw(",\"source_offset\":", &out)
            JSONWriter.writeInt(offset, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The row's JSON object as bytes.
    public static func encode(_ row: UserRow) -> [UInt8] {
        var out: [UInt8] = []
        encode(row, into: &out)
        return out
    }

    @inline(__always)
    private static func raw(_ s: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always)
    private static func text(_ key: StaticString, _ value: String?, _ out: inout [UInt8]) {
        guard let value else { return }
        raw(key, &out)
        JSONWriter.writeString(value, into: &out)
    }

    @inline(__always)
    private static func time(_ key: StaticString, _ value: Int64?, _ out: inout [UInt8]) {
        guard let value else { return }
        raw(key, &out)
        out.append(UInt8(ascii: "\""))
        Timestamp.writeRFC3339(value, into: &out)
        out.append(UInt8(ascii: "\""))
    }
}
