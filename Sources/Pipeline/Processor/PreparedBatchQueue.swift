import Synchronization

/// A stage of the processor stopped on an error, so this one stops too; the error to report is that stage's.
struct PipelineFailed: Error {}

/// The hand-over between the processor's reader (poll → transform) and its writer (store write).
///
/// The reader pushes transformed batches; the writer takes *everything* waiting at once and writes it as one
/// store transaction (group commit): while one write runs, the next batches gather, so a busy store gets larger,
/// cheaper writes and an idle one gets each batch at once. The reader waits while ``maxRecords`` records are
/// waiting (backpressure). One reader task and one writer task use it.
final class PreparedBatchQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [(element: Element, records: Int)] = []
        var records = 0
        var finished = false
        var failed = false
        var reader: CheckedContinuation<Void, any Error>?
        var writer: CheckedContinuation<Void, any Error>?
        /// A timed push's wake-up that came before it waited.
        var wakeRequested = false
    }

    /// Most records waiting before ``push(_:records:)`` waits.
    let maxRecords: Int
    private let state = Mutex(State())

    init(maxRecords: Int) {
        self.maxRecords = max(1, maxRecords)
    }

    /// Adds a batch of `records` records; waits first while the queue is full (it always takes one batch into an
    /// empty queue, whatever its size).
    /// - Throws: `CancellationError`, or ``PipelineFailed`` once the writer has stopped on an error.
    func push(_ element: Element, records: Int) async throws {
        while !(try tryPush(element, records: records)) {
            try await waitForRoom(records: records)
        }
    }

    /// Adds a batch like ``push(_:records:)`` but waits for room at most `timeout`.
    /// - Returns: whether the batch was added.
    /// - Throws: `CancellationError`, or ``PipelineFailed`` once the writer has stopped on an error.
    func push(_ element: Element, records: Int, within timeout: Duration) async throws -> Bool {
        if try tryPush(element, records: records) { return true }
        let timer = Task { [self] in
            do {
                try await Task.sleep(for: timeout)
            } catch {
                return  // the push went through first
            }
            wakeReader()
        }
        defer { timer.cancel() }
        try await waitForRoom(records: records)
        return try tryPush(element, records: records)
    }

    /// Adds the batch when there is room now.
    private func tryPush(_ element: Element, records: Int) throws -> Bool {
        let (added, writer): (Bool, CheckedContinuation<Void, any Error>?) = try state.withLock { state in
            if state.failed { throw PipelineFailed() }
            guard state.items.isEmpty || state.records + records <= maxRecords else { return (false, nil) }
            state.items.append((element, records))
            state.records += records
            defer { state.writer = nil }
            return (true, state.writer)
        }
        writer?.resume()
        return added
    }

    /// Returns once there may be room for `records` more, or ``wakeReader()`` was called.
    private func waitForRoom(records: Int) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if state.failed { return .failure(PipelineFailed()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.wakeRequested {
                        state.wakeRequested = false
                        return .success(())
                    }
                    if state.items.isEmpty || state.records + records <= maxRecords { return .success(()) }
                    state.reader = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let reader = state.withLock { state in
                defer { state.reader = nil }
                return state.reader
            }
            reader?.resume(throwing: CancellationError())
        }
    }

    /// Wakes a waiting ``push(_:records:within:)`` (or the next wait, if none waits yet).
    private func wakeReader() {
        let reader: CheckedContinuation<Void, any Error>? = state.withLock { state in
            guard let reader = state.reader else {
                state.wakeRequested = true
                return nil
            }
            state.reader = nil
            return reader
        }
        reader?.resume()
    }

    /// Takes every waiting batch, up to `maxRecords` records (at least one batch); waits while there is none.
    /// - Returns: the batches in push order, or nil once ``finish()`` was called and nothing is left.
    /// - Throws: `CancellationError`.
    func take(maxRecords limit: Int) async throws -> [Element]? {
        try await withTaskCancellationHandler {
            while true {
                let taken: (elements: [Element], reader: CheckedContinuation<Void, any Error>?)? = try state.withLock { state in
                    if state.failed { throw PipelineFailed() }
                    guard !state.items.isEmpty else { return nil }
                    var count = 0
                    var records = 0
                    for item in state.items {
                        if count > 0 && records + item.records > limit { break }
                        count += 1
                        records += item.records
                    }
                    let elements = state.items.prefix(count).map(\.element)
                    state.items.removeFirst(count)
                    state.records -= records
                    defer { state.reader = nil }
                    return (elements, state.reader)
                }
                if let taken {
                    taken.reader?.resume()
                    return taken.elements
                }
                let finished: Bool = try state.withLock { state in
                    if Task.isCancelled { throw CancellationError() }
                    if state.failed { throw PipelineFailed() }
                    return state.items.isEmpty && state.finished
                }
                if finished { return nil }
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let resumeNow: Result<Void, any Error>? = state.withLock { state in
                        if Task.isCancelled { return .failure(CancellationError()) }
                        if !state.items.isEmpty || state.finished || state.failed { return .success(()) }
                        state.writer = continuation
                        return nil
                    }
                    if let resumeNow { continuation.resume(with: resumeNow) }
                }
            }
        } onCancel: {
            let writer = state.withLock { state in
                defer { state.writer = nil }
                return state.writer
            }
            writer?.resume(throwing: CancellationError())
        }
    }

    /// No more pushes: the writer takes what is left, then gets nil.
    func finish() {
        let writer = state.withLock { state in
            state.finished = true
            defer { state.writer = nil }
            return state.writer
        }
        writer?.resume()
    }

    /// A stage stopped on an error: waiting and later calls of ``push(_:records:)`` and ``take(maxRecords:)``
    /// throw ``PipelineFailed``.
    func fail() {
        let (reader, writer) = state.withLock { state in
            state.failed = true
            defer {
                state.reader = nil
                state.writer = nil
            }
            return (state.reader, state.writer)
        }
        reader?.resume(throwing: PipelineFailed())
        writer?.resume(throwing: PipelineFailed())
    }

    /// Whether a stage failed (``fail()``).
    var hasFailed: Bool {
        state.withLock { $0.failed }
    }

    /// Records waiting for the writer.
    var waitingRecords: Int {
        state.withLock { $0.records }
    }
}
