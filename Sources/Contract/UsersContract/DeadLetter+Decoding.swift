import StreamJSON

extension DeadLetter {
    /// Reads back the section 4 object that ``encodeJSON(into:includeSource:)`` writes: a message of the dead-letter
    /// topic, or a line of a batch rejects file.
    ///
    /// The payload comes back as it went in: a JSON payload as its exact bytes (``Payload/json(_:)``), the text of
    /// a `not_json` or `too_large` record as ``Payload/text(_:)``. (A record that was a JSON string, rejected as
    /// `not_an_object`, stays JSON.) ``Payload/bytes`` is then the record to replay.
    ///
    /// - Parameters:
    ///   - json: One dead letter's bytes; read only during the call.
    ///   - parser: A parser to reuse from letter to letter (its tape is kept).
    /// - Returns: The dead letter; nil when `json` is not one: not a JSON object, an unknown `reason` code,
    ///   `detail`, `received_at` or `payload` missing or of another type, an unreadable `received_at`, or `topic`,
    ///   `partition`, `offset` or `key` of another type (null counts as absent). Other members are ignored.
    public static func decode(_ json: UnsafeRawBufferPointer, parser: inout JSONParser) -> DeadLetter? {
        guard let root = try? parser.parse(json).root, root.kind == .object,
            let reason = root.member("reason")?.string.flatMap(RejectReason.init(code:)),
            let detail = root.member("detail")?.string,
            let receivedAt = root.member("received_at")?.withStringUTF8(Timestamp.parse) ?? nil,
            let payload = root.member("payload")
        else { return nil }
        var letter = DeadLetter(reason: reason, detail: detail, receivedAt: receivedAt, payload: .json([]))
        if payload.kind == .string && (reason == .notJSON || reason == .tooLarge) {
            letter.payload = .text(payload.string ?? "")
        } else {
            letter.payload = .json(Array(payload.rawBytes))
        }
        guard let topic = optional(root, "topic", \.string), let key = optional(root, "key", \.string),
            let partition = optional(root, "partition", { $0.int64.flatMap(Int32.init(exactly:)) }),
            let offset = optional(root, "offset", \.int64)
        else { return nil }
        letter.topic = topic
        letter.key = key
        letter.partition = partition
        letter.offset = offset
        return letter
    }

    /// An optional member: `.some(nil)` when absent or null, `.some(value)` when `read` reads it, nil otherwise.
    private static func optional<T>(_ object: JSONValue, _ key: StaticString, _ read: (JSONValue) -> T?) -> T?? {
        guard let member = object.member(key), !member.isNull else { return .some(nil) }
        return read(member).map { .some($0) }
    }
}

extension DeadLetter.Payload {
    /// The record to replay: the JSON bytes, or the text as UTF-8.
    public var bytes: [UInt8] {
        switch self {
        case .json(let bytes): bytes
        case .text(let text): Array(text.utf8)
        }
    }
}
