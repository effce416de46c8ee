#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The offset of the first `\n` in `count` bytes at `pointer`, or nil.
@inline(__always)
func memchrNewline(_ pointer: UnsafeRawPointer, _ count: Int) -> Int? {
    guard count > 0, let hit = memchr(pointer, 0x0A, count) else { return nil }
    return UnsafeRawPointer(hit) - pointer
}

/// The offset of the last `\n` in `count` bytes at `pointer`, or nil.
@inline(__always)
func memrchrNewline(_ pointer: UnsafeRawPointer, _ count: Int) -> Int? {
    var k = count - 1
    while k >= 0 {
        if pointer.load(fromByteOffset: k, as: UInt8.self) == 0x0A { return k }
        k -= 1
    }
    return nil
}

/// UTC milliseconds now.
func batchNowMillis() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

/// Seconds on a monotonic clock.
func batchMonotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The number of online processors.
func batchProcessorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
