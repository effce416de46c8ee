/// Why a cron expression was refused: the expression and one line naming the field and the problem.
public struct CronParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as given (without surrounding whitespace).
    public var expression: String
    /// The problem, naming the field: `minute 61 is out of range 0-59`.
    public var reason: String

    /// An error for `expression`.
    public init(expression: String, reason: String) {
        self.expression = expression
        self.reason = reason
    }

    /// `cron expression "61 * * * *": minute 61 is out of range 0-59`.
    public var description: String { "cron expression \"\(expression)\": \(reason)" }
}
