#if canImport(Glibc)
import Pipeline
import Glibc
#endif

/// Memory figures of this process.
public enum BenchResources {
    /// Peak resident set size of this process so far, in bytes (`getrusage(RUSAGE_SELF).ru_maxrss`).
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    /// Bytes this process has caused to be written to storage so far (`write_bytes` of `/proc/self/io`), or 0 where
    /// that cannot be read.
    public static func storageBytesWritten() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("write_bytes:") {
            return Int(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    /// CPU seconds (user + system) this process has used so far.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU seconds the calling thread has used so far (`CLOCK_THREAD_CPUTIME_ID`).
    public static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The 1-minute load average (`/proc/loadavg`): how busy the machine was, other processes included.
    public static func loadAverage() -> Double {
        var values = [Double](repeating: 0, count: 3)
        return getloadavg(&values, 3) > 0 ? values[0] : 0
    }

    /// The share of the last 10 s in which runnable tasks waited for a CPU (`some avg10` of `/proc/pressure/cpu`),
    /// in percent; nil when the kernel does not report it. Above a few percent, wall-clock figures are
    /// bounded by other processes, not by the code measured.
    public static func cpuPressure() -> Double? {
        guard let file = fopen("/proc/pressure/cpu", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        let text = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let range = text.range(of: "avg10=") else { return nil }
        return Double(text[range.upperBound...].prefix(while: { $0 != " " }))
    }
}
