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

/// The elements of a JSON array, in order.
public struct JSONArrayElements: Sequence {
    let value: JSONValue

    /// Iterates the elements.
    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var i: Int
        let end: Int

        /// The next element, or nil.
        public mutating func next() -> JSONValue? {
            guard i < end else { return nil }
            let element = JSONValue(document: document, index: i)
            i = element.nextIndex
            return element
        }
    }

    /// An iterator over the elements.
    public func makeIterator() -> Iterator {
        let e = value.entry
        guard e.kind == .array else { return Iterator(document: value.document, i: 0, end: 0) }
        return Iterator(document: value.document, i: value.index + 1, end: Int(e.next))
    }
}

/// The members of a JSON object, in input order (duplicate keys included).
public struct JSONObjectMembers: Sequence {
    let value: JSONValue

    /// Iterates the members.
    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var i: Int
        let end: Int

        /// The next member (its key, a string value, and its value), or nil.
        public mutating func next() -> (key: JSONValue, value: JSONValue)? {
            guard i < end else { return nil }
            let key = JSONValue(document: document, index: i)
            let value = JSONValue(document: document, index: i + 1)
            i = value.nextIndex
            return (key, value)
        }
    }

    /// An iterator over the members.
    public func makeIterator() -> Iterator {
        let e = value.entry
        guard e.kind == .object else { return Iterator(document: value.document, i: 0, end: 0) }
        return Iterator(document: value.document, i: value.index + 1, end: Int(e.next))
    }
}
