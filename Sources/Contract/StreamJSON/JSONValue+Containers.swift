extension JSONValue {
    /// The member of an object with this key (compared after unescaping); with duplicate keys the
    /// last one wins. Nil when the value is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        var key = key
        return key.withUTF8 { member(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The member of an object with this key; the fast path for literal keys. See ``subscript(_:)``.
    @inlinable
    public func member(_ key: StaticString) -> JSONValue? {
        member(utf8: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The member of an object whose key's UTF-8 bytes equal `key`; the last one wins.
    public func member(utf8 key: UnsafeRawBufferPointer) -> JSONValue? {
        let tape = document.tape
        let object = tape[index]
        guard object.kind == .object else { return nil }
        var found = -1
        var i = index + 1
        let end = Int(object.next)
        let length = UInt32(truncatingIfNeeded: key.count)
        while i < end {
            let k = tape[i]
            // Cheap length test first; keys with escapes are compared after unescaping.
            if k.end &- k.start == length || k.flags & TapeEntry.hasEscapes != 0 {
                if document.stringEquals(at: i, key) { found = i + 1 }
            }
            let value = tape[i + 1]
            i = value.kind == .array || value.kind == .object ? Int(value.next) : i + 2
        }
        return found < 0 ? nil : JSONValue(document: document, index: found)
    }

    /// The elements of an array (empty for other kinds).
    public var elements: JSONArrayElements { JSONArrayElements(value: self) }

    /// The members of an object in input order, duplicates included (empty for other kinds).
    public var members: JSONObjectMembers { JSONObjectMembers(value: self) }
}
extension JSONValue {
    /// Calls `body` once per member of an object, in input order, with the key's unescaped UTF-8 bytes
    /// (no copy unless the key has escapes) and the member's value. Nothing for other kinds.
    ///
    /// One pass over an object is the fast way to pick several members: switch on the key bytes.
    @inlinable
    public func forEachMember(_ body: (UnsafeRawBufferPointer, JSONValue) throws -> Void) rethrows {
        let tape = document.tape
        let object = tape[index]
        guard object.kind == .object, let base = document.input.baseAddress else { return }
        var i = index + 1
        let end = Int(object.next)
        while i < end {
            let key = tape[i]
            let value = JSONValue(document: document, index: i + 1)
            if key.flags & TapeEntry.hasEscapes == 0 {
                try body(UnsafeRawBufferPointer(start: base + Int(key.start), count: Int(key.end &- key.start)), value)
            } else {
                var bytes: [UInt8] = []
                document.appendUnescaped(key, into: &bytes)
                try bytes.withUnsafeBytes { try body($0, value) }
            }
            let v = tape[i + 1]
            i = v.kind == .array || v.kind == .object ? Int(v.next) : i + 2
        }
    }
}
