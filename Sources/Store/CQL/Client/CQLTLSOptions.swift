import NIOSSL

/// TLS settings in plain values, for configurations that do not want to depend on NIOSSL's types.
public struct CQLTLSOptions: Sendable, Hashable {
    /// A PEM file of trusted CA certificates; nil uses the system's trust roots. Default: nil.
    public var trustRootsFile: String?
    /// Whether to verify the server's certificate and host name. Default: true.
    public var verifyCertificate: Bool
    /// A PEM client certificate for mutual TLS. Default: nil.
    public var certificateFile: String?
    /// The PEM private key of ``certificateFile``. Default: nil.
    public var privateKeyFile: String?

    /// Creates options.
    public init(
        trustRootsFile: String? = nil,
        verifyCertificate: Bool = true,
        certificateFile: String? = nil,
        privateKeyFile: String? = nil
    ) {
        self.trustRootsFile = trustRootsFile
        self.verifyCertificate = verifyCertificate
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }

    /// The NIOSSL client configuration these options describe.
    /// - Throws: when a certificate or key file cannot be read.
    public func makeTLSConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustRootsFile { tls.trustRoots = .file(trustRootsFile) }
        if !self.verifyCertificate { tls.certificateVerification = .none }
        if let certificateFile, let privateKeyFile {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
        }
        return tls
    }
}
