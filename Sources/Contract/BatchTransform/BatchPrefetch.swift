import Dispatch

/// A read of the next chunk on another thread, while the current chunk is transformed.
final class BatchPrefetch: @unchecked Sendable {
    /// Signalled when the read is over; `count`, `eof` and `error` are only read after waiting on it.
    let done = DispatchSemaphore(value: 0)
    var count = 0
    var eof = false
    var error: BatchTransformError?

    /// Reads until `count` bytes arrived or the input ended.
    func start(input: BatchFile, into destination: BatchPointer, count wanted: Int) {
        DispatchQueue.global().async {
            defer { self.done.signal() }
            do throws(BatchTransformError) {
                while self.count < wanted {
                    let n = try input.read(into: destination.pointer + self.count, count: wanted - self.count)
                    if n == 0 {
                        self.eof = true
                        return
                    }
                    self.count += n
                }
            } catch {
                self.error = error
            }
        }
    }
}

/// A buffer address handed to the reading thread (the buffer is not touched elsewhere until the read ends).
struct BatchPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer

    init(_ pointer: UnsafeMutableRawPointer) {
        self.pointer = pointer
    }
}
