import Allocator
import Foundation
import Testing

@Suite("The allocator: jemalloc with UserStream's options")
struct AllocatorTests {
    @Test("jemalloc is the allocator of a binary that links the module")
    func jemallocIsLinked() throws {
        let version = try #require(Allocator.version)
        #expect(version.hasPrefix("5."))
        #expect(Allocator.summary.hasPrefix("jemalloc 5."))
    }

    @Test("the compiled-in options are the ones in force unless MALLOC_CONF overrides them")
    func compiledOptionsApply() throws {
        #expect(Allocator.compiledOptions.contains("narenas:2"))
        #expect(Allocator.compiledOptions.contains("background_thread:true"))
        let options = try #require(Allocator.options)
        if ProcessInfo.processInfo.environment["MALLOC_CONF"] == nil {
            #expect(options.arenas == 2)
            #expect(options.backgroundThread)
            #expect(options.dirtyDecayMilliseconds == 1000)
        }
    }

    @Test("statistics follow a large allocation, and a purge gives its pages back")
    func statisticsAndPurge() throws {
        let before = try #require(Allocator.statistics())
        let size = 64 << 20
        // Other tests allocate and free at the same time: allow them a MiB.
        let slack = 1 << 20
        let block = try #require(malloc(size))
        memset(block, 1, size)
        let during = try #require(Allocator.statistics())
        #expect(during.allocated - before.allocated >= size - slack)
        #expect(during.resident >= during.allocated)
        free(block)
        #expect(Allocator.purge())
        let after = try #require(Allocator.statistics())
        #expect(during.allocated - after.allocated >= size - slack)
        #expect(during.resident - after.resident >= size / 2)
    }
}
