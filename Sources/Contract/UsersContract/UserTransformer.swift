import StreamJSON

/// The users contract as a pure function: one message in, zero or more rows and dead letters out.
///
/// Reusable and cheap per call: it keeps its JSON parser's tape across messages. Not thread-safe
/// (a value type; give each thread its own). Does no I/O and reads no clock: the caller passes times in.
///
/// ```swift
/// var transformer = UserTransformer(options: TransformOptions(runStartedAt: now))
/// buffer.withUnsafeBytes { bytes in
///     transformer.transform(bytes, context: context, processedAt: now) { outcome in ... }
/// }
/// ```
public struct UserTransformer: Sendable {
    /// The options the transformer was made with.
    public var options: TransformOptions
    /// Counts of everything transformed so far.
    public var stats = TransformStats()
    var parser = JSONParser()

    /// Creates a transformer.
    public init(options: TransformOptions) {
        self.options = options
    }

    /// Transforms one message (a Kafka message value, or one line of a batch file).
    ///
    /// - Parameters:
    ///   - bytes: the message; valid only during the call (rows and dead letters own their data).
    ///   - context: where and when the message was read.
    ///   - processedAt: UTC milliseconds to put in the rows' `processed_at`.
    ///   - emit: called once per record: a plain message gives one outcome, an envelope one per element
    ///     (in order), an envelope with `results: []` none.
    public mutating func transform(
        _ bytes: UnsafeRawBufferPointer, context: RecordContext, processedAt: Int64,
        emit: (consuming TransformOutcome) -> Void
    ) {
        stats.messages += 1
        guard bytes.count <= options.maxMessageBytes else {
            stats.records += 1
            emitReject(
                .tooLarge,
                detail: "message of \(bytes.count) bytes is over the limit of \(options.maxMessageBytes) bytes",
                payload: .text(Secrets.scrubRawText(bytes)), record: nil, context: context, emit: emit)
            return
        }
        let document: JSONDocument
        do {
            document = try parser.parse(bytes)
        } catch {
            stats.records += 1
            emitReject(
                .notJSON, detail: "not JSON: \(error.code) at byte \(error.offset)",
                payload: .text(Secrets.scrubRawText(bytes)), record: nil, context: context, emit: emit)
            return
        }
        let root = document.root
        guard root.kind == .object else {
            stats.records += 1
            emitReject(
                .notAnObject, detail: "the message is a JSON \(root.kind), not an object",
                payload: .json(Secrets.scrubbedJSON(root)), record: nil, context: context, emit: emit)
            return
        }
        if let results = root.member("results"), results.kind == .array, root.member("login") == nil {
            stats.envelopes += 1
            if results.count == 0 { stats.emptyEnvelopes += 1 }
            var position = 0
            for element in results.elements {
                stats.records += 1
                if element.kind == .object {
                    transformRecord(element, context: context, processedAt: processedAt, emit: emit)
                } else {
                    emitReject(
                        .notAnObject, detail: "results[\(position)] is a JSON \(element.kind), not an object",
                        payload: .json(Secrets.scrubbedJSON(element)), record: nil, context: context, emit: emit)
                }
                position += 1
            }
            return
        }
        stats.records += 1
        transformRecord(root, context: context, processedAt: processedAt, emit: emit)
    }

    /// Rejects a message as `too_large` when the caller kept only its beginning (a batch line too long to
    /// buffer): counts it as one message and one record and emits its dead letter.
    ///
    /// - Parameters:
    ///   - prefix: the first bytes of the message (at least 64 KiB when it is that long); the payload is
    ///     cut from it as in section 7 item 15.
    ///   - byteCount: the message's full length in bytes.
    public mutating func rejectTooLarge(
        prefix: UnsafeRawBufferPointer, byteCount: Int, context: RecordContext, emit: (consuming TransformOutcome) -> Void
    ) {
        stats.messages += 1
        stats.records += 1
        emitReject(
            .tooLarge, detail: "message of \(byteCount) bytes is over the limit of \(options.maxMessageBytes) bytes",
            payload: .text(Secrets.scrubRawText(prefix)), record: nil, context: context, emit: emit)
    }

    /// Transforms a byte array; see ``transform(_:context:processedAt:emit:)``. Returns the outcomes.
    public mutating func transform(_ bytes: [UInt8], context: RecordContext, processedAt: Int64) -> [TransformOutcome] {
        var outcomes: [TransformOutcome] = []
        bytes.withUnsafeBytes { buffer in
            transform(buffer, context: context, processedAt: processedAt) { outcomes.append($0) }
        }
        return outcomes
    }

    mutating func emitReject(
        _ reason: RejectReason, detail: String, payload: DeadLetter.Payload, record: JSONValue?,
        context: RecordContext, emit: (consuming TransformOutcome) -> Void
    ) {
        stats.record(reason)
        var key: String?
        if let raw = context.key {
            key = String(decoding: raw, as: UTF8.self)
        } else if let record, let uuid = record.member("login")?.member("uuid") {
            key = uuid.string
        }
        emit(.reject(DeadLetter(
            reason: reason, detail: detail, key: key, topic: context.topic, partition: context.partition,
            offset: context.offset, receivedAt: context.receivedAt, payload: payload)))
    }
}
