#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address (the `inet` type, 4 or 16 bytes), with a port when it came from an `[inet]` notation.
public struct CQLInet: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8]
    /// The port, for `[inet]` (events); nil for `inet` values.
    public var port: Int?

    /// Wraps address bytes.
    public init(bytes: [UInt8], port: Int? = nil) {
        self.bytes = bytes
        self.port = port
    }

    /// Parses a textual IPv4 or IPv6 address; nil when it is neither.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            self.port = nil
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            self.port = nil
            return
        }
        return nil
    }

    /// The address in text (IPv6 in its compressed form), without the port.
    public var address: String {
        let family = self.bytes.count == 4 ? AF_INET : AF_INET6
        guard self.bytes.count == 4 || self.bytes.count == 16 else { return "invalid(\(self.bytes))" }
        var output = [CChar](repeating: 0, count: 64)
        let ok = self.bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &output, socklen_t(output.count)) != nil
        }
        guard ok else { return "invalid" }
        return String(decoding: output.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `address` or `address:port` (`[v6]:port`).
    public var description: String {
        guard let port else { return self.address }
        return self.bytes.count == 16 ? "[\(self.address)]:\(port)" : "\(self.address):\(port)"
    }
}
