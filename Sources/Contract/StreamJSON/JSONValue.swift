/// One value in a ``JSONDocument``: a position on the tape. Reading it never copies the input
/// except to build the `String` or number asked for.
public struct JSONValue {
    /// The document the value belongs to.
    public let document: JSONDocument
    /// The value's position on the document's tape.
    public let index: Int

    @usableFromInline
    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    @usableFromInline
    var entry: TapeEntry { document.tape[index] }

    /// The value's kind.
    @inlinable
    public var kind: JSONKind { document.tape[index].kind }

    /// Whether the value is `null`.
    @inlinable
    public var isNull: Bool { kind == .null }

    /// The value of a `true` or `false`, else nil.
    public var bool: Bool? {
        switch kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// The value's JSON text exactly as in the input (strings with their quotes and escapes).
    public var rawBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: document.input[entry.textRange])
    }

    /// The number of elements of an array or members of an object; 0 for other kinds.
    public var count: Int {
        let e = entry
        return e.kind == .array || e.kind == .object ? Int(e.count) : 0
    }

    /// The tape index of the value after this one and all its descendants.
    @usableFromInline
    var nextIndex: Int {
        let e = document.tape[index]
        return e.kind == .array || e.kind == .object ? Int(e.next) : index + 1
    }
}
