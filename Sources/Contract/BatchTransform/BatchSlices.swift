import Dispatch

/// Line-aligned slices of one chunk, handed to worker threads (read-only while they run).
struct BatchSlices: @unchecked Sendable {
    let base: UnsafeRawPointer
    let bounds: [Range<Int>]

    func slice(_ k: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bounds[k].lowerBound, count: bounds[k].count)
    }
}

/// Hands out slice indices 0..<count, each once, to whichever thread asks first.
final class BatchSliceCounter: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var next = 0
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    /// The next slice index, or nil when all were taken.
    func take() -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
