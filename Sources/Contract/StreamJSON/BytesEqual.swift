/// Whether UTF-8 bytes equal a static string (for switching on keys in ``JSONValue/forEachMember(_:)``).
@inlinable
public func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard bytes.count == count else { return false }
    guard count > 0, let base = bytes.baseAddress else { return true }
    let other = text.utf8Start
    for k in 0..<count where base.load(fromByteOffset: k, as: UInt8.self) != other[k] { return false }
    return true
}
