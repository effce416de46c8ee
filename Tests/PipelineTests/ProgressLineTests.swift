import Testing
import Pipeline

@Suite("Progress line")
struct ProgressLineTests {
    @Test("the progress line gives the totals, the rate and the allocator's memory in use and resident")
    func progressLine() throws {
        let counters = PipelineCounters()
        counters.fetched.store(1_200, ordering: .relaxed)
        counters.produced.store(1_100, ordering: .relaxed)
        counters.stored.store(980, ordering: .relaxed)
        counters.rejected.store(20, ordering: .relaxed)
        let line = ProgressReporter(counters: counters, write: { _ in }).progressLine(rate: 4_999.6)
        #expect(line.contains("fetched 1200 produced 1100 stored 980 rejected 20 | 5000 users/s"))
        let memory = try #require(line.split(separator: "|").last).trimmingCharacters(in: .whitespaces)
        #expect(memory.hasPrefix("memory: "))
        #expect(memory.hasSuffix("MiB resident (allocator)"))
        let numbers = memory.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2)
        #expect(numbers[0] > 0 && numbers[0] <= numbers[1], "in use \(numbers[0]) MiB ≤ resident \(numbers[1]) MiB")
    }
}
