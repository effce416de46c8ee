#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Testing
import UserStreamRuntime

@Suite("Memory trimmer")
struct MemoryTrimmerTests {
    @Test("memory freed between live blocks is given back")
    func trimReleasesFreedMemory() {
        #if canImport(Glibc)
        // 16 MiB in 4 KiB blocks, every other one freed: free memory between live blocks, which glibc keeps.
        let blocks = (0..<4096).map { _ in malloc(4096)! }
        for block in blocks { memset(block, 1, 4096) }
        for (index, block) in blocks.enumerated() where index % 2 == 0 { free(block) }
        #expect(MemoryTrimmer.trim())
        for (index, block) in blocks.enumerated() where index % 2 == 1 { free(block) }
        #endif
    }

    @Test("USERSTREAM_MALLOC_TRIM=off turns the trimmer off; anything else leaves it on")
    func switchedByEnvironment() {
        #expect(MemoryTrimmer.isEnabled(environment: [:]))
        #expect(MemoryTrimmer.isEnabled(environment: ["USERSTREAM_MALLOC_TRIM": "on"]))
        #expect(!MemoryTrimmer.isEnabled(environment: ["USERSTREAM_MALLOC_TRIM": "off"]))
        #expect(!MemoryTrimmer.isEnabled(environment: ["USERSTREAM_MALLOC_TRIM": "OFF"]))
    }

    @Test("the service ends on graceful shutdown")
    func endsOnShutdown() async throws {
        let trimmer = MemoryTrimmer(interval: .milliseconds(10))
        let group = ServiceGroup(configuration: .init(services: [trimmer], logger: .init(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
