/// Line-aligned slices of one chunk, handed to worker threads (read-only while they run).
struct BatchSlices: @unchecked Sendable {
    let base: UnsafeRawPointer
    let bounds: [Range<Int>]

    func slice(_ k: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bounds[k].lowerBound, count: bounds[k].count)
    }
}
