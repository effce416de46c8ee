/// The parser's tape: a growable buffer of entries without the bounds and uniqueness checks of `Array` on
/// the hot path. Shared by reference between a parser and the documents it returns; the parser starts a
/// new tape when a document still holds the old one, so a document never sees its tape change.
@usableFromInline
final class Tape: @unchecked Sendable {
    // Only the owning parser mutates a tape (documents read it), so dynamic exclusivity checks are skipped.
    @exclusivity(unchecked) @usableFromInline var entries: UnsafeMutablePointer<TapeEntry>
    @exclusivity(unchecked) @usableFromInline var count = 0
    @exclusivity(unchecked) @usableFromInline var capacity: Int

    @usableFromInline
    init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        entries = .allocate(capacity: self.capacity)
    }

    deinit {
        entries.deallocate()
    }

    /// The entry at `i` (`0 ..< count`, not checked: indices come from the tape itself).
    @inlinable
    subscript(i: Int) -> TapeEntry {
        unsafeAddress { UnsafePointer(entries + i) }
        unsafeMutableAddress { entries + i }
    }

    @inlinable @inline(__always)
    func append(_ entry: TapeEntry) {
        if count == capacity { grow() }
        (entries + count).initialize(to: entry)
        count += 1
    }

    @usableFromInline
    func grow() {
        let bigger = UnsafeMutablePointer<TapeEntry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: entries, count: count)
        entries.deallocate()
        entries = bigger
        capacity *= 2
    }
}
