/// A parsed JSON text: the input bytes plus the parser's tape of offsets into them.
///
/// A document does not own its input: it is valid only while the buffer given to
/// ``JSONParser/parse(_:)`` is alive. It is cheap to copy (the tape is shared, never changed under it).
public struct JSONDocument {
    /// The input the document was parsed from.
    public let input: UnsafeRawBufferPointer
    @usableFromInline let tape: Tape

    @usableFromInline
    init(input: UnsafeRawBufferPointer, tape: Tape) {
        self.input = input
        self.tape = tape
    }

    /// The top-level value.
    @inlinable
    public var root: JSONValue { JSONValue(document: self, index: 0) }

    /// How many values (including object keys) the document holds.
    public var valueCount: Int { tape.count }
}
