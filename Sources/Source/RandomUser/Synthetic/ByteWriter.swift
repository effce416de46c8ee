import StreamJSON

/// A growable byte buffer written through raw pointers: the generator's hot path.
///
/// Writes are unchecked; callers ``reserve(_:)`` enough room first (the generator reserves more than the largest
/// possible user before writing one). The owner must call ``deallocate()``.
struct ByteWriter {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count: Int
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
        self.count = 0
    }

    func deallocate() {
        self.base.deallocate()
    }

    /// Makes room for at least `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if self.count + extra > self.capacity { self.grow(to: self.count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = self.capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = newBase
        self.capacity = newCapacity
    }

    @inline(__always)
    mutating func write(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        (self.base + self.count).update(from: text.utf8Start, count: length)
        self.count += length
    }

    @inline(__always)
    mutating func write(_ pointer: UnsafePointer<UInt8>, _ length: Int) {
        (self.base + self.count).update(from: pointer, count: length)
        self.count += length
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        self.base[self.count] = value
        self.count += 1
    }

    /// Writes an integer in decimal (see ``DecimalDigits/write(_:to:)``); reserve room first.
    @inline(__always)
    mutating func decimal(_ value: Int) {
        self.count += DecimalDigits.write(Int64(value), to: self.base + self.count)
    }

    /// Writes the last `width` digits of a non-negative `value` in decimal, with leading zeros.
    @inline(__always)
    mutating func decimal(_ value: Int, width: Int) {
        DecimalDigits.write(UInt64(value), width: width, to: self.base + self.count)
        self.count += width
    }

    /// Writes UTC milliseconds as RFC 3339 (see ``Timestamp/writeRFC3339(_:to:)``), reserving room for it.
    @inline(__always)
    mutating func rfc3339(_ milliseconds: Int64) {
        self.reserve(Timestamp.maxRFC3339Count)
        self.count += Timestamp.writeRFC3339(milliseconds, to: self.base + self.count)
    }

    /// The written bytes.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: self.base, count: self.count) }
}
