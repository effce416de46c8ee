import StreamJSON

/// The batch form of a row (contract section 6): one compact JSON object keyed by the column names,
/// in table order, absent columns left out; text as strings, coordinates as numbers, `age`,
/// `source_partition`, `source_offset` as integers, timestamps as RFC 3339 UTC strings with milliseconds.
public enum RowJSON {
    /// Appends the row's JSON object, without a newline.
    ///
    /// Sizes the output once (an upper bound), then writes through a pointer: no per-byte checks.
    public static func encode(_ row: UserRow, into out: inout [UInt8]) {
        // Keys, punctuation, 4 timestamps, 2 doubles and 3 integers fit in 768 bytes; text at worst
        // escapes every byte to 6.
        var bound = 768
        func add(_ text: String?) {
            if let text { bound += JSONWriter.maxEscapedCount(text.utf8.count) }
        }
        add(row.userID)
        add(row.title)
        add(row.firstName)
        add(row.lastName)
        add(row.gender)
        add(row.email)
        add(row.username)
        add(row.address)
        add(row.city)
        add(row.state)
        add(row.country)
        add(row.postcode)
        add(row.phone)
        add(row.cell)
        add(row.nationality)
        add(row.pictureURL)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            var w = RowWriter(buffer.baseAddress! + start)
            w.raw("{\"user_id\":")
            w.string(row.userID)
            w.text(",\"title\":", row.title)
            w.text(",\"first_name\":", row.firstName)
            w.text(",\"last_name\":", row.lastName)
            w.text(",\"gender\":", row.gender)
            w.text(",\"email\":", row.email)
            w.text(",\"username\":", row.username)
            w.text(",\"address\":", row.address)
            w.text(",\"city\":", row.city)
            w.text(",\"state\":", row.state)
            w.text(",\"country\":", row.country)
            w.text(",\"postcode\":", row.postcode)
            if let latitude = row.latitude {
                w.raw(",\"latitude\":")
                w.double(latitude)
            }
            if let longitude = row.longitude {
                w.raw(",\"longitude\":")
                w.double(longitude)
            }
            w.time(",\"date_of_birth\":", row.dateOfBirth)
            if let age = row.age {
                w.raw(",\"age\":")
                w.int(Int64(age))
            }
            w.time(",\"registration_date\":", row.registrationDate)
            w.text(",\"phone\":", row.phone)
            w.text(",\"cell\":", row.cell)
            w.text(",\"nationality\":", row.nationality)
            w.text(",\"picture_url\":", row.pictureURL)
            w.time(",\"fetched_at\":", row.fetchedAt)
            w.time(",\"processed_at\":", row.processedAt)
            if let partition = row.sourcePartition {
                w.raw(",\"source_partition\":")
                w.int(Int64(partition))
            }
            if let offset = row.sourceOffset {
                w.raw(",\"source_offset\":")
                w.int(offset)
            }
            w.byte(UInt8(ascii: "}"))
            return w.position - (buffer.baseAddress! + start)
        }
        out.removeLast(bound - written)
    }

    /// The row's JSON object as bytes.
    public static func encode(_ row: UserRow) -> [UInt8] {
        var out: [UInt8] = []
        encode(row, into: &out)
        return out
    }
}

/// Writes through a pointer into space the caller sized.
struct RowWriter {
    var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) {
        position = start
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        position.pointee = b
        position += 1
    }

    @inline(__always)
    mutating func raw(_ s: StaticString) {
        let count = s.utf8CodeUnitCount
        position.update(from: s.utf8Start, count: count)
        position += count
    }

    @inline(__always)
    mutating func string(_ s: String) {
        byte(UInt8(ascii: "\""))
        var s = s
        let count = s.withUTF8 { JSONWriter.escape(utf8: UnsafeRawBufferPointer($0), to: position) }
        position += count
        byte(UInt8(ascii: "\""))
    }

    @inline(__always)
    mutating func text(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        raw(key)
        string(value)
    }

    @inline(__always)
    mutating func int(_ value: Int64) {
        position += DecimalDigits.write(value, to: position)
    }

    mutating func double(_ value: Double) {
        guard value.isFinite else {
            raw("null")
            return
        }
        var text = value.description
        let count = text.withUTF8 { utf8 -> Int in
            position.update(from: utf8.baseAddress!, count: utf8.count)
            return utf8.count
        }
        position += count
    }

    mutating func time(_ key: StaticString, _ millis: Int64?) {
        guard let millis else { return }
        raw(key)
        byte(UInt8(ascii: "\""))
        position += Timestamp.writeRFC3339(millis, to: position)
        byte(UInt8(ascii: "\""))
    }
}
