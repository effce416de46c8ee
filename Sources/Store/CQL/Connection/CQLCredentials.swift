/// A username and password for `PasswordAuthenticator` (SASL PLAIN). Its description never shows the password.
public struct CQLCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The role name.
    public var username: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `username (password redacted)`.
    public var description: String { "\(self.username) (password redacted)" }
    /// Same as ``description``.
    public var debugDescription: String { self.description }
}
