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

    /// Writes a non-negative integer in decimal.
    @inline(__always)
    mutating func decimal(_ value: Int) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var rest = value
        var index = self.count + digits - 1
        repeat {
            self.base[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
            index -= 1
        } while rest > 0
        self.count += digits
    }

    /// Writes `value` in decimal with at least `width` digits (leading zeros).
    @inline(__always)
    mutating func decimal(_ value: Int, width: Int) {
        var rest = value
        var index = self.count + width - 1
        for _ in 0..<width {
            self.base[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
            index -= 1
        }
        self.count += width
    }

    /// The written bytes.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: self.base, count: self.count) }
}
