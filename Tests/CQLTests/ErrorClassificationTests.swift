import Testing

@testable import CQL

@Suite("Transient or not: whether retrying later may succeed")
struct ErrorClassificationTests {
    static let serverCodes: [(CQLServerError.Code, Bool)] = [
        (.unavailable, true), (.overloaded, true), (.isBootstrapping, true), (.writeTimeout, true),
        (.readTimeout, true), (.serverError, true), (.truncateError, true), (.unprepared, true),
        (.authenticationError, false), (.unauthorized, false), (.syntaxError, false), (.invalid, false),
        (.configError, false), (.protocolError, false), (.alreadyExists, false), (.readFailure, false),
        (.writeFailure, false), (.functionFailure, false), (CQLServerError.Code(rawValue: 0x7777), false),
    ]

    @Test("server errors", arguments: serverCodes)
    func serverErrors(code: CQLServerError.Code, transient: Bool) {
        let error = CQLServerError(code: code, message: "m")
        #expect(error.isTransient == transient)
        #expect(CQLError.isTransient(error) == transient)
    }

    static let clientCodes: [(CQLError.Code, Bool)] = [
        (.connectionClosed, true), (.connectFailed, true), (.timeout, true), (.noHostAvailable, true),
        (.authenticationRequired, false), (.unsupportedAuthenticator, false), (.invalidArgument, false),
        (.clientClosed, false), (.protocolViolation, false),
    ]

    @Test("client errors", arguments: clientCodes)
    func clientErrors(code: CQLError.Code, transient: Bool) {
        let error = CQLError(code: code, message: "m")
        #expect(error.isTransient == transient)
        #expect(CQLError.isTransient(error) == transient)
    }

    static let refused = CQLError(code: .connectFailed, message: "cannot connect", host: "a:9042")
    static let wrongPassword = CQLServerError(code: .authenticationError, message: "Provided username is incorrect")

    static func noHost(_ causes: [any Error]) -> CQLError {
        CQLError(
            code: .noHostAvailable, message: "m",
            causes: causes.enumerated().map { CQLError.HostFailure(host: "h\($0.offset):9042", error: $0.element) }
        )
    }

    @Test("noHostAvailable is transient when every cause is")
    func noHostTransientCauses() {
        #expect(Self.noHost([Self.refused]).isTransient)
        #expect(Self.noHost([Self.refused, CQLError(code: .timeout, message: "t")]).isTransient)
        #expect(Self.noHost([CQLServerError(code: .unavailable, message: "u"), Self.refused]).isTransient)
        #expect(Self.noHost([Self.noHost([Self.refused])]).isTransient)
    }

    @Test("noHostAvailable caused by refused credentials is not transient")
    func noHostAuthentication() {
        #expect(!Self.noHost([Self.wrongPassword]).isTransient)
        #expect(!Self.noHost([Self.wrongPassword, Self.wrongPassword]).isTransient)
        #expect(!Self.noHost([Self.wrongPassword, Self.refused]).isTransient)
        #expect(!Self.noHost([CQLError(code: .authenticationRequired, message: "a")]).isTransient)
        #expect(!CQLError(code: .noHostAvailable, message: "m", underlying: Self.wrongPassword).isTransient)
    }

    @Test("noHostAvailable without causes (none known yet) is transient")
    func noHostWithoutCauses() {
        #expect(CQLError(code: .noHostAvailable, message: "m").isTransient)
        #expect(CQLError(code: .noHostAvailable, message: "m", underlying: Self.refused).isTransient)
    }

    @Test("errors of other kinds are not transient")
    func otherErrors() {
        #expect(!CQLError.isTransient(CancellationError()))
        #expect(!CQLError.isTransient(CQLDecodingError("bad value")))
    }

    @Test("only transient failures of idempotent work are retried on another host")
    func retriesFollowClassification() {
        for (code, transient) in Self.serverCodes {
            let error = CQLServerError(code: code, message: "m")
            #expect(CQLClient.shouldRetry(error, idempotent: true) == transient, "\(code)")
            #expect(!CQLClient.shouldRetry(error, idempotent: false))
        }
    }
}
