/// One value of a parsed document: offsets into the input, no copies.
///
/// Strings: `start` is the first byte after the opening quote, `end` the closing quote.
/// Numbers and literals: `start..<end` is the text. Containers: `start` is the opening bracket,
/// `end` one past the closing bracket, `next` the tape index after the last descendant and `count`
/// the number of elements (arrays) or members (objects). An object's members are laid out as
/// key (a string entry), then value.
@usableFromInline
struct TapeEntry: Sendable {
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
    @usableFromInline var next: UInt32
    @usableFromInline var count: UInt32
    @usableFromInline var kind: JSONKind
    @usableFromInline var flags: UInt8

    /// A string holds at least one backslash escape.
    @usableFromInline static let hasEscapes: UInt8 = 1
    /// A number has a fraction part.
    @usableFromInline static let hasFraction: UInt8 = 2
    /// A number has an exponent part.
    @usableFromInline static let hasExponent: UInt8 = 4

    @inlinable
    init(start: Int, end: Int, next: Int, kind: JSONKind, flags: UInt8 = 0) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
        self.next = UInt32(truncatingIfNeeded: next)
        self.count = 0
        self.kind = kind
        self.flags = flags
    }
}

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
