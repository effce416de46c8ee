import Pipeline
import Allocator
import Foundation

/// The machine a benchmark ran on: cores, CPU model, memory, kernel, Swift version, build configuration and
/// memory allocator.
public struct BenchMachine: Sendable, Hashable, CustomStringConvertible {
    /// Online logical cores.
    public var cores: Int
    /// The CPU's `model name` from `/proc/cpuinfo`, or `unknown`.
    public var cpuModel: String
    /// Physical memory in bytes (`MemTotal` of `/proc/meminfo`), or 0 when unknown.
    public var memoryBytes: Int
    /// The kernel release (`uname -r`).
    public var kernel: String
    /// The Swift compiler that built this binary, e.g. `Swift 6.3`.
    public var swiftVersion: String
    /// `release` or `debug`: how this binary was built.
    public var buildConfiguration: String
    /// The memory allocator and its options (``Allocator/summary``).
    public var allocator: String

    /// Creates a description from its parts.
    public init(
        cores: Int, cpuModel: String, memoryBytes: Int, kernel: String, swiftVersion: String,
        buildConfiguration: String, allocator: String = ""
    ) {
        self.cores = cores
        self.cpuModel = cpuModel
        self.memoryBytes = memoryBytes
        self.kernel = kernel
        self.swiftVersion = swiftVersion
        self.buildConfiguration = buildConfiguration
        self.allocator = allocator
    }

    /// The machine this process runs on, as built.
    public static func current() -> BenchMachine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return BenchMachine(
            cores: ProcessInfo.processInfo.activeProcessorCount,
            cpuModel: field("model name", in: cpuinfo) ?? "unknown",
            memoryBytes: (field("MemTotal", in: meminfo).flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0)
                * 1024,
            kernel: kernel,
            swiftVersion: compilerVersion,
            buildConfiguration: buildConfigurationName,
            allocator: Allocator.summary
        )
    }

    /// `cores, CPU, memory, kernel, Swift, configuration` on one line.
    public var description: String {
        let gib = Double(memoryBytes) / Double(1 << 30)
        return "\(cores) cores, \(cpuModel), \(String(format: "%.1f", gib)) GiB, Linux \(kernel), "
            + "\(swiftVersion), \(buildConfiguration) build" + (allocator.isEmpty ? "" : ", \(allocator)")
    }

    /// The value of the first `key : value` line of a `/proc` file.
    public static func field(_ key: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "Swift ≥ 6.4"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #else
        return "Swift < 6.2"
        #endif
    }

    static var buildConfigurationName: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }
}
