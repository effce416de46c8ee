import UsersContract

/// One thread's share of a chunk: its own transformer (parser tape kept across chunks) and output buffers.
/// Only one thread touches a worker at a time (the job hands each worker to one `concurrentPerform` slot).
final class BatchWorker: @unchecked Sendable {
    var transformer: UserTransformer
    /// Two sets of output buffers: one being filled while the writer drains the other.
    var rowBuffers: [[UInt8]] = [[], []]
    var rejectBuffers: [[UInt8]] = [[], []]
    /// The set `run` fills.
    var current = 0
    var blankLines = 0

    var rows: [UInt8] {
        get { rowBuffers[current] }
        _modify { yield &rowBuffers[current] }
    }

    var rejects: [UInt8] {
        get { rejectBuffers[current] }
        _modify { yield &rejectBuffers[current] }
    }

    init(options: TransformOptions) {
        transformer = UserTransformer(options: options)
    }

    /// Transforms every line of `slice` (complete lines; the last may lack its newline).
    func run(_ slice: UnsafeRawBufferPointer, set: Int, context: RecordContext, processedAt: Int64) {
        current = set
        rows.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        guard let base = slice.baseAddress else { return }
        let n = slice.count
        var start = 0
        while start < n {
            var end = start
            // memchr is much faster than a Swift loop for ~1 KB lines.
            if let hit = memchrNewline(base + start, n - start) {
                end = start + hit
            } else {
                end = n
            }
            let line = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if Self.isBlank(line) {
                blankLines += 1
            } else {
                transformer.transform(line, context: context, processedAt: processedAt) { outcome in
                    self.append(outcome)
                }
            }
            start = end + 1
        }
    }

    func append(_ outcome: TransformOutcome) {
        switch outcome {
        case .row(let row):
            RowJSON.encode(row, into: &rows)
            rows.append(0x0A)
        case .reject(let letter):
            letter.encodeJSON(into: &rejects, includeSource: false)
            rejects.append(0x0A)
        }
    }

    /// Empty, or only space, tab and CR (section 7 item 14).
    static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for c in line where c != 0x20 && c != 0x09 && c != 0x0D { return false }
        return true
    }
}
