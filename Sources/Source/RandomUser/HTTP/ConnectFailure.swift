#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// A connection to the API that could not be made, read from a transport error.
///
/// NIO reports a failed connect as an error that nests one socket error (`IOError`) per address tried; the client
/// passes it on as it is. This finds the socket errors by reflection, so the source needs no NIOPosix types.
struct ConnectFailure: Sendable {
    /// Whether the server's host refused the connection (nothing listens on the port).
    var refused: Bool
    /// A human description: `connection refused by host:port`, or `could not connect to host:port: <cause>`.
    var message: String

    /// Reads `error`; nil when it is not a failed connect (for example a connection that broke after it was made).
    ///
    /// - Parameters:
    ///   - error: The transport error.
    ///   - url: The request's URL: its `host:port` goes into the message.
    init?(_ error: any Error, url: String) {
        var found = Found()
        Self.walk(error, into: &found, depth: 0)
        let address = Self.hostAndPort(of: url)
        if found.errnos.contains(ECONNREFUSED) {
            self.refused = true
            self.message = "connection refused by \(address)"
        } else if let code = found.errnos.first(where: Self.connectErrnos.contains) {
            self.refused = false
            self.message = "could not connect to \(address): \(String(cString: strerror(code)))"
        } else if found.connectError {
            self.refused = false
            self.message = "could not connect to \(address): \(error)"
        } else {
            return nil
        }
    }

    /// Socket errors that only a connect gives (a reset or a broken pipe can also end a connection that was made).
    private static let connectErrnos: Set<Int32> = [
        EHOSTUNREACH, ENETUNREACH, ENETDOWN, EHOSTDOWN, ETIMEDOUT, EADDRNOTAVAIL,
    ]

    private struct Found {
        var errnos: [Int32] = []
        var connectError = false
    }

    /// Collects the socket errors and notes NIO's connect error anywhere within `value`, a few levels deep.
    private static func walk(_ value: Any, into found: inout Found, depth: Int) {
        guard depth < 6 else { return }
        if let io = value as? IOError {
            found.errnos.append(io.errnoCode)
            return
        }
        if String(describing: type(of: value)) == "NIOConnectionError" { found.connectError = true }
        for child in Mirror(reflecting: value).children {
            Self.walk(child.value, into: &found, depth: depth + 1)
        }
    }

    /// The `host:port` of a URL, with the scheme's default port when it names none (`[::1]:8080` stays bracketed).
    static func hostAndPort(of url: String) -> String {
        let lowered = url.lowercased()
        let secure = lowered.hasPrefix("https://")
        var rest = Substring(url)
        if let scheme = url.range(of: "://") { rest = url[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        let hasPort: Bool
        if hostPort.hasPrefix("[") {
            hasPort = hostPort.contains("]:")
        } else {
            hasPort = hostPort.contains(":")
        }
        return hasPort ? hostPort : "\(hostPort):\(secure ? 443 : 80)"
    }
}
