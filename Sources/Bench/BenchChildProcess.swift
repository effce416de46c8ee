import Pipeline
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as a child process (`posix_spawn`), waits for it with `wait4` and reports its exit status,
/// wall time, peak resident memory (`ru_maxrss` of the child alone) and what it printed.
///
/// Used by the benchmarks that must measure a command on its own: the parent's memory (input generation, the
/// benchmark's bookkeeping) never counts in the child's peak.
public struct BenchChildProcess: Sendable {
    /// What the child did.
    public struct Outcome: Sendable, Hashable {
        /// The exit status (0...255), or 128 + the signal that ended it.
        public var status: Int32
        /// Seconds from spawn to exit.
        public var wallSeconds: Double
        /// Peak resident set size of the child in bytes: the largest `VmHWM` of `/proc/<pid>/status` seen while it
        /// ran (sampled every 10 ms). Not `ru_maxrss`: Linux carries the parent's high-water mark across the
        /// spawn's exec into the child's `ru_maxrss`, so a large parent would inflate it.
        public var peakResidentBytes: Int
        /// `ru_maxrss` of the child from `wait4`, in bytes (an upper bound; see ``peakResidentBytes``).
        public var rusageMaxResidentBytes: Int
        /// User CPU seconds of the child.
        public var userSeconds: Double
        /// System CPU seconds of the child.
        public var systemSeconds: Double
        /// Standard output.
        public var standardOutput: String
        /// Standard error.
        public var standardError: String
        /// Whether the child was stopped because it ran past ``BenchChildProcess/timeout``.
        public var timedOut: Bool = false
    }

    /// A child process could not be started or waited for.
    public struct Error: Swift.Error, CustomStringConvertible {
        /// The failing call, e.g. `posix_spawn`.
        public var code: String
        /// The `errno` value.
        public var errno: Int32
        public var description: String { "\(code) failed: \(String(cString: strerror(errno)))" }
    }

    /// The program to run (an absolute path).
    public var executable: String
    /// Its arguments, without the program name.
    public var arguments: [String]
    /// Extra environment variables (added to this process's environment).
    public var environment: [String: String]
    /// Stop the child (SIGTERM, then SIGKILL 30 s later) when it runs longer than this. Default: nil (wait).
    public var timeout: Duration?

    /// Describes a child process.
    public init(
        executable: String, arguments: [String], environment: [String: String] = [:], timeout: Duration? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.timeout = timeout
    }

    /// The path of this process's own executable (`/proc/self/exe`), to re-run one of its subcommands.
    public static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments.first ?? "userstream" }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The command line as one shell-like string (for reports).
    public var commandLine: String {
        ([executable] + arguments).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// Spawns the child, waits for it (blocking this thread) and collects its outcome.
    public func run() throws(Error) -> Outcome {
        let folder = FileManager.default.temporaryDirectory.path
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let outPath = "\(folder)/userstream-bench-\(token).out"
        let errPath = "\(folder)/userstream-bench-\(token).err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let started = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = (argv + [nil]).withUnsafeBufferPointer { args in
            (envp + [nil]).withUnsafeBufferPointer { env in
                posix_spawn(&pid, executable, &actions, nil, args.baseAddress!, env.baseAddress!)
            }
        }
        guard spawned == 0 else { throw Error(code: "posix_spawn", errno: spawned) }
        var status: Int32 = 0
        var usage = rusage()
        var peak = 0
        var timedOut = false
        var killAt: ContinuousClock.Instant?
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 {
                guard errno == EINTR else { throw Error(code: "wait4", errno: errno) }
                continue
            }
            peak = max(peak, Self.highWaterMark(pid: pid))
            if let timeout, !timedOut, ContinuousClock.now - started > timeout {
                timedOut = true
                kill(pid, SIGTERM)
                killAt = .now + .seconds(30)
            }
            if let deadline = killAt, ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                killAt = nil
            }
            usleep(10_000)
        }
        let wall = (ContinuousClock.now - started).seconds
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(
            status: exitStatus,
            wallSeconds: wall,
            peakResidentBytes: peak > 0 ? peak : Int(usage.ru_maxrss) * 1024,
            rusageMaxResidentBytes: Int(usage.ru_maxrss) * 1024,
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
            timedOut: timedOut
        )
    }

    /// `VmHWM` of a running process in bytes, or 0 when it cannot be read.
    static func highWaterMark(pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let value = BenchMachine.field("VmHWM", in: status),
            let kilobytes = Int(value.split(separator: " ").first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}
