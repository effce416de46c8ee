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
            #expect(options.dirtyDecayMilliseconds == 250)
        }
    }

    @Test("the calling thread's totals count its own allocation and free, whatever other tests do")
    func threadTotals() throws {
        let size = 8 << 20
        let before = try #require(Allocator.threadTotals())
        let block = try #require(malloc(size))
        let during = try #require(Allocator.threadTotals())
        free(block)
        let after = try #require(Allocator.threadTotals())
        #expect(during.allocated - before.allocated >= UInt64(size))
        #expect(after.deallocated - during.deallocated >= UInt64(size))
    }

    @Test("statistics see a large block resident, and a purge gives its pages back")
    func statisticsAndPurge() throws {
        // Other tests allocate and free at the same time in this process: the block is far larger than what they
        // move in a few milliseconds.
        let size = 256 << 20
        let block = try #require(malloc(size))
        memset(block, 1, size)
        let during = try #require(Allocator.statistics())
        #expect(during.allocated >= size)
        #expect(during.resident >= size)
        free(block)
        #expect(Allocator.purge())
        let after = try #require(Allocator.statistics())
        #expect(during.resident - after.resident >= size / 2)
    }
}
