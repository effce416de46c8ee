extension JSONWriter {
    /// Appends a parsed value's JSON text without the white space between its tokens: every string, number and
    /// literal is copied byte for byte as in the input (escapes, big numbers and exponents as written).
    ///
    /// The parser's tape says where each string lies, so only the bytes between tokens are looked at; runs
    /// without white space are copied in one piece (an already compact value is one copy). Nothing is reserved in
    /// `out`: when appending many values, reserve room first (at most `value.rawBytes.count` bytes per value).
    ///
    /// - Parameters:
    ///   - value: Any value of a document.
    ///   - out: Where the compact text goes.
    public static func writeCompact(_ value: JSONValue, into out: inout [UInt8]) {
        let document = value.document
        guard let base = document.input.baseAddress else { return }
        let tape = document.tape
        let text = tape[value.index].textRange
        var run = text.lowerBound  // the start of the bytes not yet copied
        var gap = text.lowerBound  // the start of the bytes after the last token
        for index in value.index..<value.nextIndex {
            let entry = tape[index]
            guard entry.kind != .object && entry.kind != .array else { continue }
            let token = entry.textRange
            self.skipWhiteSpace(base, from: gap, to: token.lowerBound, run: &run, into: &out)
            gap = token.upperBound
        }
        self.skipWhiteSpace(base, from: gap, to: text.upperBound, run: &run, into: &out)
        if run < text.upperBound {
            out.append(contentsOf: UnsafeRawBufferPointer(start: base + run, count: text.upperBound - run))
        }
    }

    /// Looks at the bytes between two tokens (punctuation and white space); copies the run before each white space
    /// byte and starts the next run after it.
    @inline(__always)
    private static func skipWhiteSpace(
        _ base: UnsafeRawPointer, from start: Int, to end: Int, run: inout Int, into out: inout [UInt8]
    ) {
        for index in start..<end {
            switch base.load(fromByteOffset: index, as: UInt8.self) {
            case 0x20, 0x09, 0x0A, 0x0D:
                if run < index { out.append(contentsOf: UnsafeRawBufferPointer(start: base + run, count: index - run)) }
                run = index + 1
            default:
                break
            }
        }
    }
}
