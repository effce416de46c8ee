import Foundation

/// A node of the cluster as the client knows it.
public struct CQLHost: Sendable, Hashable, CustomStringConvertible {
    /// The address the client connects to (IP or host name).
    public var address: String
    /// The native protocol port.
    public var port: Int
    /// The data center (from `system.local` / `system.peers`), when known.
    public var dataCenter: String?
    /// The rack, when known.
    public var rack: String?
    /// The tokens this node owns (Murmur3).
    public var tokens: [Int64]

    /// Creates a host.
    public init(address: String, port: Int, dataCenter: String? = nil, rack: String? = nil, tokens: [Int64] = []) {
        self.address = address
        self.port = port
        self.dataCenter = dataCenter
        self.rack = rack
        self.tokens = tokens
    }

    /// `address:port`, the host's identity in the client.
    public var id: String {
        self.address.contains(":") ? "[\(self.address)]:\(self.port)" : "\(self.address):\(self.port)"
    }

    /// Same as ``id``.
    public var description: String { self.id }

    /// Parses `host`, `host:port` or `[v6]:port`, with `defaultPort` when none is given.
    public static func parse(_ text: String, defaultPort: Int) -> (address: String, port: Int)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return nil }
            let address = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if rest.isEmpty { return (address, defaultPort) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (address, port)
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1 { return (trimmed, defaultPort) }
        if parts.count == 2 {
            guard !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            return (String(parts[0]), port)
        }
        return (trimmed, defaultPort)  // a bare IPv6 address
    }
}
