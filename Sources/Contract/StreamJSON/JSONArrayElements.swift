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
