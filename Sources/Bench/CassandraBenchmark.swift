import Pipeline
import CQL
import Foundation
import Stores
import UsersContract

/// A write benchmark of the Cassandra store: N synthetic rows, C writes in flight.
public enum CassandraBenchmark {
    /// What one run measured.
    public struct Result: Sendable, CustomStringConvertible {
        /// Rows written.
        public var rows: Int
        /// Writes in flight at once.
        public var concurrency: Int
        /// Wall-clock seconds for all writes.
        public var seconds: Double
        /// Rows per second.
        public var rowsPerSecond: Double
        /// Median write latency, milliseconds.
        public var p50Milliseconds: Double
        /// 95th percentile write latency, milliseconds.
        public var p95Milliseconds: Double
        /// 99th percentile write latency, milliseconds.
        public var p99Milliseconds: Double

        /// One line of figures.
        public var description: String {
            func f(_ value: Double) -> String { String(format: "%.2f", value) }
            return "\(self.rows) rows, \(self.concurrency) in flight: \(f(self.rowsPerSecond)) rows/s "
                + "in \(f(self.seconds)) s; latency p50 \(f(self.p50Milliseconds)) ms, "
                + "p95 \(f(self.p95Milliseconds)) ms, p99 \(f(self.p99Milliseconds)) ms"
        }
    }

    /// A synthetic row with every column set; ids are deterministic for `seed` and `index`.
    public static func syntheticRow(index: Int, seed: UInt64 = 0x5EED) -> UserRow {
        var state = seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
        }
        let a = next()
        let b = next()
        let id = "\(hex(a >> 32, 8))-\(hex((a >> 16) & 0xFFFF, 4))-4\(hex(a & 0xFFF, 3))-"
            + "a\(hex(b >> 52, 3))-\(hex(b & 0xFFFF_FFFF_FFFF, 12))"
        let now: Int64 = 1_764_000_000_000 + Int64(index)
        return UserRow(
            userID: id, title: "Mx", firstName: "Bench\(index)", lastName: "User", gender: "unspecified",
            email: "bench\(index)@example.com", username: "bench\(index)", address: "\(index) Main Street, Springfield",
            city: "Springfield", state: "State", country: "Country", postcode: String(10000 + index % 90000),
            latitude: Double(index % 180) - 89.5, longitude: Double(index % 360) - 179.5,
            dateOfBirth: -315_619_200_000, age: 56, registrationDate: 1_262_304_000_000,
            phone: "555-0100", cell: "555-0101", nationality: "US", pictureURL: "https://example.com/p/\(index).jpg",
            fetchedAt: now, processedAt: now, sourcePartition: Int32(index % 8), sourceOffset: Int64(index)
        )
    }

    /// Writes `rows` synthetic rows with `concurrency` writes in flight and measures each write.
    /// - Parameters:
    ///   - store: A store whose schema exists (call `prepare()` first).
    ///   - rows: How many rows.
    ///   - concurrency: Writes in flight at once.
    public static func run(store: CassandraUserStore, rows: Int, concurrency: Int) async throws -> Result {
        let statement = try await store.insertStatement()
        let clock = ContinuousClock()
        let workers = max(1, min(concurrency, max(rows, 1)))
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var measured: [Double] = []
                    var index = worker
                    while index < rows {
                        let row = syntheticRow(index: index)
                        let began = clock.now
                        try await store.write(row, statement: statement)
                        let elapsed = began.duration(to: clock.now)
                        measured.append(
                            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                        index += workers
                    }
                    return measured
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let total = start.duration(to: clock.now)
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let rank = Int((p * Double(latencies.count)).rounded(.up)) - 1
            return latencies[min(max(rank, 0), latencies.count - 1)]
        }
        return Result(
            rows: rows, concurrency: workers, seconds: seconds,
            rowsPerSecond: seconds > 0 ? Double(rows) / seconds : 0,
            p50Milliseconds: percentile(0.50), p95Milliseconds: percentile(0.95), p99Milliseconds: percentile(0.99)
        )
    }
}
