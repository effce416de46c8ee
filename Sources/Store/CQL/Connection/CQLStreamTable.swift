/// The stream ids of one connection: which are free, and what waits on each one in flight.
///
/// An id returns to the free list only when ``release(_:)`` is called, i.e. when its answer arrived, so
/// a request that timed out keeps its id until the server answers it (a late answer is never taken
/// for the answer to a newer request).
struct CQLStreamTable<Value> {
    private var free: [Int16]
    private(set) var inFlight: [Int16: Value] = [:]
    /// The number of ids this table hands out.
    let capacity: Int

    /// A table of `capacity` ids, 0 ..< capacity (at most 32768).
    init(capacity: Int) {
        self.capacity = max(1, min(capacity, 32768))
        self.free = (0..<self.capacity).reversed().map { Int16($0) }
    }

    /// Whether no id is free.
    var isFull: Bool { self.free.isEmpty }

    /// Takes a free id for `value`; nil when all ids are in flight.
    mutating func allocate(_ value: Value) -> Int16? {
        guard let id = self.free.popLast() else { return nil }
        self.inFlight[id] = value
        return id
    }

    /// Replaces what waits on an id in flight.
    mutating func update(_ id: Int16, _ value: Value) {
        guard self.inFlight[id] != nil else { return }
        self.inFlight[id] = value
    }

    /// The answer for `id` arrived: frees the id and returns what waited on it (nil for an unknown id).
    mutating func release(_ id: Int16) -> Value? {
        guard let value = self.inFlight.removeValue(forKey: id) else { return nil }
        self.free.append(id)
        return value
    }

    /// Removes every entry (the connection is gone) and returns them.
    mutating func removeAll() -> [Value] {
        let values = Array(self.inFlight.values)
        self.inFlight.removeAll()
        self.free = (0..<self.capacity).reversed().map { Int16($0) }
        return values
    }
}
