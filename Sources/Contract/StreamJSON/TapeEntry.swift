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

    /// Where the value's JSON text lies in the input: a string with its quotes, a container with its brackets.
    @inlinable
    var textRange: Range<Int> {
        kind == .string ? Int(start) - 1 ..< Int(end) + 1 : Int(start) ..< Int(end)
    }
}
