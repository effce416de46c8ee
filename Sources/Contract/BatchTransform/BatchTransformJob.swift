import Dispatch
import UsersContract

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The batch form of the contract (section 6): newline-delimited JSON in, newline-delimited rows and
/// dead letters out.
///
/// Streams in constant memory: it reads chunks of ``Configuration/chunkBytes``, carries a line cut by a
/// chunk boundary over to the next chunk, and skips a line over ``Configuration/maxLineBytes`` without
/// buffering it (keeping only its first 64 KiB for the `too_large` dead letter). Each chunk is split at
/// line boundaries into one slice per core; each slice is transformed on its own thread into its own
/// buffers, and the buffers are written in input order. Blank or white-space-only lines are skipped.
///
/// ```swift
/// let result = try BatchTransformJob().run(inputPath: "users.jsonl", outputPath: "rows.jsonl",
///                                          rejectsPath: "rejects.jsonl")
/// FileHandle.standardError.write(Data((result.summaryText + "\n").utf8))
/// ```
public struct BatchTransformJob: Sendable {
    /// Options of a batch transform.
    public struct Configuration: Sendable, Hashable {
        /// A line longer than this many bytes (without its `\n`) is rejected as `too_large`, unparsed.
        /// Default: 1 MiB (1,048,576). Raise it to read whole 5,000-user envelopes (~6 MiB).
        public var maxMessageBytes: Int = 1 << 20
        /// Bytes read per chunk. Default: 4 MiB. Memory is about (chunk + maxMessageBytes) plus the outputs
        /// of two chunks (one being written while the next is transformed).
        public var chunkBytes: Int = 4 << 20
        /// Threads transforming a chunk (each chunk is cut into four slices per thread, run on up to this
        /// many threads, at most one per core; 1 runs everything on the calling thread). Default: the number
        /// of online processors.
        public var threads: Int = batchProcessorCount()
        /// UTC milliseconds the run counts as its start (a date of birth after it is in the future).
        /// Default: nil, the moment `run` is called.
        public var runStartedAt: Int64?

        /// The defaults.
        public init() {}
    }

    /// The job's options.
    public var configuration: Configuration

    /// Creates a job.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Runs the job over files. Blocking: it does file I/O and waits for its worker threads, so call it
    /// from a plain thread (or accept that it occupies one task thread for the run).
    ///
    /// - Parameters:
    ///   - inputPath: newline-delimited JSON; `-` reads standard input.
    ///   - outputPath: the rows file (created or truncated); `-` writes standard output.
    ///   - rejectsPath: the rejects file (created or truncated); `-` writes standard output.
    /// - Returns: the counts, once the whole input was read.
    /// - Throws: ``BatchTransformError`` when a file cannot be opened, read or written.
    public func run(inputPath: String, outputPath: String, rejectsPath: String) throws(BatchTransformError)
        -> BatchTransformResult
    {
        let input = try BatchFile.openInput(inputPath)
        defer { input.close() }
        let rows = try BatchFile.openOutput(outputPath)
        defer { rows.close() }
        let rejects = try BatchFile.openOutput(rejectsPath)
        defer { rejects.close() }
        return try run(input: input, rows: rows, rejects: rejects)
    }

    /// Runs the job over open file descriptors (not closed by the job). Blocking, like
    /// ``run(inputPath:outputPath:rejectsPath:)``.
    public func run(inputDescriptor: Int32, outputDescriptor: Int32, rejectsDescriptor: Int32)
        throws(BatchTransformError) -> BatchTransformResult
    {
        try run(
            input: BatchFile(fd: inputDescriptor, name: "fd \(inputDescriptor)", owned: false),
            rows: BatchFile(fd: outputDescriptor, name: "fd \(outputDescriptor)", owned: false),
            rejects: BatchFile(fd: rejectsDescriptor, name: "fd \(rejectsDescriptor)", owned: false))
    }

    func run(input: BatchFile, rows: BatchFile, rejects: BatchFile) throws(BatchTransformError) -> BatchTransformResult {
        let started = batchMonotonicSeconds()
        let maxLine = max(1, configuration.maxMessageBytes)
        let chunk = max(64 * 1024, configuration.chunkBytes)
        let options = TransformOptions(maxMessageBytes: maxLine, runStartedAt: configuration.runStartedAt ?? batchNowMillis())
        // Several slices per thread, so a thread that gets less CPU (a busy machine) does not hold up the chunk:
        // dispatch hands the slices to free threads as they go.
        let threads = max(1, configuration.threads)
        let workers = (0..<(threads == 1 ? 1 : threads * 4)).map { _ in BatchWorker(options: options) }
        let writer = BatchWriter()
        // On every way out (errors included), let queued writes finish before the caller closes the files.
        defer { writer.queue.sync {} }
        let capacity = chunk + maxLine + 1
        // Two input buffers: the next chunk is read into one while the other is transformed.
        let buffers = [
            UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16),
            UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16),
        ]
        defer { for b in buffers { b.deallocate() } }
        var current = 0
        var prefetch: BatchPrefetch?
        // Never free the buffers under a read still in flight (an error can leave the loop early).
        defer { prefetch?.done.wait() }

        var filled = 0  // bytes in `buffer`; [0, filled) starts at a line start unless `skipping`
        var eof = false
        var bytesRead = 0
        var skipping: (prefix: [UInt8], length: Int)?
        var tooLargeOut: [UInt8] = []

        func rejectSkipped(_ skipped: (prefix: [UInt8], length: Int)) throws(BatchTransformError) {
            let now = batchNowMillis()
            tooLargeOut.removeAll(keepingCapacity: true)
            skipped.prefix.withUnsafeBytes { prefix in
                workers[0].transformer.rejectTooLarge(
                    prefix: prefix, byteCount: skipped.length, context: RecordContext(receivedAt: now)
                ) { outcome in
                    if case .reject(let letter) = outcome {
                        letter.encodeJSON(into: &tooLargeOut, includeSource: false)
                        tooLargeOut.append(0x0A)
                    }
                }
            }
            let bytes = tooLargeOut
            writer.queue.async {
                guard writer.error == nil else { return }
                do throws(BatchTransformError) {
                    try rejects.write(bytes)
                } catch {
                    writer.error = error
                }
            }
        }

        while !eof {
            let buffer = buffers[current]
            if let pending = prefetch {
                // The read started while the previous chunk was transformed.
                prefetch = nil
                pending.done.wait()
                if let error = pending.error { throw error }
                filled += pending.count
                bytesRead += pending.count
                eof = pending.eof
            } else {
                // Fill: at least one chunk of new bytes, or the end of the input.
                let target = min(capacity, filled + chunk)
                while filled < target {
                    let n = try input.read(into: buffer + filled, count: target - filled)
                    if n == 0 {
                        eof = true
                        break
                    }
                    filled += n
                    bytesRead += n
                }
            }
            var begin = 0
            if var skipped = skipping {
                // Inside a line over the limit: drop bytes up to its newline.
                let region = UnsafeRawBufferPointer(start: buffer, count: filled)
                let newline = memchrNewline(buffer, filled)
                let taken = newline ?? filled
                if skipped.prefix.count < Secrets.rawTextLimit + 4 {
                    let keep = min(taken, Secrets.rawTextLimit + 4 - skipped.prefix.count)
                    skipped.prefix.append(contentsOf: region[0..<keep])
                }
                skipped.length += taken
                if let newline {
                    skipping = nil
                    try rejectSkipped(skipped)
                    begin = newline + 1
                } else {
                    skipping = skipped
                    filled = 0
                    if eof { try rejectSkipped(skipped) }
                    continue
                }
            }
            let available = filled - begin
            let complete: Int
            if eof {
                complete = available
            } else if let last = memrchrNewline(buffer + begin, available) {
                complete = last + 1
            } else {
                complete = 0
            }
            let carry = available - complete
            if complete > 0 && !eof && carry <= maxLine {
                // Start reading the next chunk into the other buffer, after this chunk's cut line.
                let next = buffers[1 - current]
                if carry > 0 { memcpy(next, buffer + begin + complete, carry) }
                let pending = BatchPrefetch()
                pending.start(input: input, into: BatchPointer(next + carry), count: chunk)
                prefetch = pending
                try transform(
                    UnsafeRawBufferPointer(start: buffer + begin, count: complete), workers: workers, writer: writer,
                    rows: rows, rejects: rejects)
                current = 1 - current
                filled = carry
                continue
            }
            if complete > 0 {
                try transform(
                    UnsafeRawBufferPointer(start: buffer + begin, count: complete), workers: workers, writer: writer,
                    rows: rows, rejects: rejects)
            }
            if carry > maxLine {
                // The line is already over the limit: stop buffering it.
                let keep = min(carry, Secrets.rawTextLimit + 4)
                skipping = (Array(UnsafeRawBufferPointer(start: buffer + begin + complete, count: keep)), carry)
                filled = 0
            } else {
                if carry > 0 && begin + complete > 0 { memmove(buffer, buffer + begin + complete, carry) }
                filled = carry
            }
        }

        // Drain the writer.
        writer.queue.sync {}
        if let error = writer.firstError() { throw error }
        var stats = TransformStats()
        var blankLines = 0
        for worker in workers {
            stats.merge(worker.transformer.stats)
            blankLines += worker.blankLines
        }
        return BatchTransformResult(
            stats: stats, blankLines: blankLines, bytesRead: bytesRead, elapsedSeconds: batchMonotonicSeconds() - started)
    }

    /// Transforms complete lines, split across the workers, and writes their outputs in order.
    private func transform(
        _ region: UnsafeRawBufferPointer, workers: [BatchWorker], writer: BatchWriter, rows: BatchFile,
        rejects: BatchFile
    ) throws(BatchTransformError) {
        let now = batchNowMillis()
        let context = RecordContext(receivedAt: now)
        guard let base = region.baseAddress else { return }
        // Slice at line boundaries: one slice per worker, small regions on one thread.
        var bounds: [Range<Int>] = []
        let parts = region.count < 128 * 1024 ? 1 : workers.count
        var start = 0
        for k in 1...parts {
            guard start < region.count else { break }
            var end = region.count
            if k < parts {
                let guess = max(start, region.count * k / parts)
                if let newline = memchrNewline(base + guess, region.count - guess) { end = guess + newline + 1 }
            }
            bounds.append(start..<end)
            start = end
        }
        // Wait until the writer has drained the buffer set this chunk will fill (the one of chunk n-2).
        writer.slots.wait()
        if let error = writer.firstError() {
            writer.slots.signal()  // a semaphore must be back at its initial value when it is freed
            throw error
        }
        let set = writer.nextSet
        writer.nextSet ^= 1
        let slices = BatchSlices(base: base, bounds: bounds)
        let threads = min(max(1, configuration.threads), bounds.count)
        if threads == 1 {
            for k in bounds.indices { workers[k].run(slices.slice(k), set: set, context: context, processedAt: now) }
        } else {
            // `threads` threads take the next slice as they finish one.
            let next = BatchSliceCounter(count: bounds.count)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let k = next.take() {
                    workers[k].run(slices.slice(k), set: set, context: context, processedAt: now)
                }
            }
        }
        let sliceCount = bounds.count
        writer.queue.async {
            defer { writer.slots.signal() }
            guard writer.error == nil else { return }
            do throws(BatchTransformError) {
                for k in 0..<sliceCount { try rows.write(workers[k].rowBuffers[set]) }
                for k in 0..<sliceCount { try rejects.write(workers[k].rejectBuffers[set]) }
            } catch {
                writer.error = error
            }
        }
    }
}
