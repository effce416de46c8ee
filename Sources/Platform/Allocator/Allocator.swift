import CJemalloc
import MallocConfiguration

/// The memory allocator UserStream's binaries run on: jemalloc, linked in place of glibc's `malloc`.
///
/// The pipeline allocates on one thread and frees on another (messages on the consumer's thread, rows on the
/// processor's, freed by the store's writer); glibc's allocator spent about 15% of `run`'s CPU on that, in
/// `malloc`, `free` and its arena locks. jemalloc's per-thread caches take most of it away (docs/performance.md,
/// "the allocator"). Its options are compiled in (``compiledOptions``); the `MALLOC_CONF` environment variable
/// overrides them one by one, e.g. `MALLOC_CONF=narenas:1,dirty_decay_ms:500`.
public enum Allocator {
    /// What jemalloc reports of the memory it manages, in bytes.
    public struct Statistics: Sendable, Equatable {
        /// Bytes in live allocations.
        public var allocated: Int
        /// Bytes in pages that hold live allocations (≥ `allocated`).
        public var active: Int
        /// Bytes of the allocator's memory resident in RAM (its pages and metadata).
        public var resident: Int
        /// Bytes mapped from the system and not yet returned.
        public var mapped: Int
    }

    /// The options compiled into the binary (`malloc_conf`).
    public static var compiledOptions: String { String(cString: userstream_malloc_conf()) }

    /// jemalloc's version, e.g. `5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c`; nil when jemalloc is not the
    /// allocator this process runs on.
    public static var version: String? {
        guard let pointer: UnsafePointer<CChar> = read("version") else { return nil }
        return String(cString: pointer)
    }

    /// The options in force, as jemalloc read them (compiled in, then `MALLOC_CONF`).
    public static var options: (arenas: Int, backgroundThread: Bool, dirtyDecayMilliseconds: Int)? {
        guard let arenas: UInt32 = read("opt.narenas"), let background: Bool = read("opt.background_thread"),
            let decay: Int = read("opt.dirty_decay_ms")
        else { return nil }
        return (Int(arenas), background, decay)
    }

    /// One line for reports: the allocator, its version and its options.
    public static var summary: String {
        guard let version, let options else { return "glibc malloc (jemalloc is not linked)" }
        let short = version.split(separator: "-").first.map(String.init) ?? version
        return "jemalloc \(short) (arenas \(options.arenas), background thread "
            + "\(options.backgroundThread ? "on" : "off"), dirty pages returned after \(options.dirtyDecayMilliseconds) ms)"
    }

    /// The allocator's figures now; nil when they are not available.
    public static func statistics() -> Statistics? {
        // Statistics are a snapshot taken when the epoch moves.
        var epoch: UInt64 = 1
        guard mallctl("epoch", nil, nil, &epoch, MemoryLayout<UInt64>.size) == 0 else { return nil }
        guard let allocated: Int = read("stats.allocated"), let active: Int = read("stats.active"),
            let resident: Int = read("stats.resident"), let mapped: Int = read("stats.mapped")
        else { return nil }
        return Statistics(allocated: allocated, active: active, resident: resident, mapped: mapped)
    }

    /// Bytes the calling thread has allocated and freed since it started (jemalloc's per-thread counters, which
    /// other threads do not move); nil when they are not available.
    public static func threadTotals() -> (allocated: UInt64, deallocated: UInt64)? {
        guard let allocated: UInt64 = read("thread.allocated"), let deallocated: UInt64 = read("thread.deallocated")
        else { return nil }
        return (allocated, deallocated)
    }

    /// Returns every free page of every arena to the system now (the background thread does it within
    /// `dirty_decay_ms` anyway). Returns whether jemalloc did it.
    @discardableResult
    public static func purge() -> Bool {
        // MALLCTL_ARENAS_ALL is 4096 in jemalloc 5.
        mallctl("arena.4096.purge", nil, nil, nil, 0) == 0
    }

    /// Reads a value of jemalloc's `mallctl` namespace; nil when the name is unknown or the size differs.
    private static func read<Value>(_ name: String) -> Value? {
        withUnsafeTemporaryAllocation(of: Value.self, capacity: 1) { buffer -> Value? in
            var size = MemoryLayout<Value>.size
            guard mallctl(name, buffer.baseAddress, &size, nil, 0) == 0, size == MemoryLayout<Value>.size else {
                return nil
            }
            return buffer.baseAddress!.move()
        }
    }
}
