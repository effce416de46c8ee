import Dispatch

/// Writes chunk outputs in order on its own thread, so the next chunk is transformed meanwhile.
final class BatchWriter: @unchecked Sendable {
    /// Serial: outputs are written in the order chunks were transformed.
    let queue = DispatchQueue(label: "userstream.batch.writer")
    /// Free output buffer sets (two: one filling, one draining).
    let slots = DispatchSemaphore(value: 2)
    /// The buffer set the next chunk fills (touched by the reading thread only).
    var nextSet = 0
    /// The first write error (touched on `queue` only).
    var error: BatchTransformError?

    func firstError() -> BatchTransformError? { queue.sync { error } }
}
