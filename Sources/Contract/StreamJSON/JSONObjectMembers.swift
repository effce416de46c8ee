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
