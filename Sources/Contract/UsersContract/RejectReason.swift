/// Why a record became a dead letter (contract section 4). A struct over a private enum, so new
/// reasons don't break callers; ``code`` is the contract's string.
public struct RejectReason: Hashable, Sendable, CustomStringConvertible {
    private enum Base: Int, Hashable, Sendable, CaseIterable {
        case tooLarge, notJSON, notAnObject, missingUserID, invalidUserID, missingEmail, invalidEmail
    }
    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// The message is over ``TransformOptions/maxMessageBytes``; it was not parsed.
    public static let tooLarge = RejectReason(.tooLarge)
    /// The message is not a JSON text (RFC 8259, UTF-8).
    public static let notJSON = RejectReason(.notJSON)
    /// The message (or an envelope element) is JSON but not an object.
    public static let notAnObject = RejectReason(.notAnObject)
    /// `login.uuid` is absent, null, blank, or `login` is not an object.
    public static let missingUserID = RejectReason(.missingUserID)
    /// `login.uuid` is not a string holding a UUID.
    public static let invalidUserID = RejectReason(.invalidUserID)
    /// `email` is absent, null or blank.
    public static let missingEmail = RejectReason(.missingEmail)
    /// `email` is not a string holding a valid address.
    public static let invalidEmail = RejectReason(.invalidEmail)

    /// Every reason, in the contract's order of precedence.
    public static let allCases: [RejectReason] = Base.allCases.map(RejectReason.init)

    /// The contract's code: `too_large`, `not_json`, `not_an_object`, `missing_user_id`,
    /// `invalid_user_id`, `missing_email`, `invalid_email`.
    public var code: String {
        switch base {
        case .tooLarge: return "too_large"
        case .notJSON: return "not_json"
        case .notAnObject: return "not_an_object"
        case .missingUserID: return "missing_user_id"
        case .invalidUserID: return "invalid_user_id"
        case .missingEmail: return "missing_email"
        case .invalidEmail: return "invalid_email"
        }
    }

    /// The reason with this contract code, or nil.
    public init?(code: String) {
        guard let reason = RejectReason.allCases.first(where: { $0.code == code }) else { return nil }
        self = reason
    }

    /// A dense index (0..<allCases.count) for counting.
    var index: Int { base.rawValue }

    /// ``code``.
    public var description: String { code }
}
