import NIOSSL

extension CQLError {
    /// A TLS failure behind `error` (which may be wrapped in ``CQLError/underlying``), explained in words and what to
    /// change, instead of BoringSSL's code; nil when `error` is not a TLS failure.
    static func explainingTLS(_ error: any Error, host: String) -> CQLError? {
        var current: (any Error)? = error
        while let next = current {
            if let tls = next as? NIOSSLError {
                return CQLError(code: .tlsFailed, message: Self.explanation(of: tls), host: host)
            }
            if let tls = next as? BoringSSLError {
                return CQLError(code: .tlsFailed, message: Self.explanation(of: "\(tls)"), host: host)
            }
            current = (next as? CQLError)?.underlying
        }
        return nil
    }

    private static func explanation(of error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let boring): explanation(of: "\(boring)")
        case .uncleanShutdown:
            "the server closed the connection during the TLS handshake: it may not have TLS enabled on this port "
                + "(Cassandra: client_encryption_options), or it refused the client certificate"
        default: explanation(of: "\(error)")
        }
    }

    private static func explanation(of text: String) -> String {
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG")
            || text.contains("HTTP_REQUEST")
        {
            return "TLS is on but the server answered in plain text: it has no TLS on this port. Turn TLS off for "
                + "this store (drop tls=true from the cassandra:// URL) or enable client_encryption_options on the server"
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's TLS certificate is not trusted (or does not name this host): give the CA that signed it "
                + "(tlsCA=/path/ca.pem in the cassandra:// URL) or check the host name"
        }
        return "the TLS handshake failed: \(text)"
    }
}
