/// The kind of a JSON value.
public enum JSONKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// `null`.
    case null
    /// `false`.
    case `false`
    /// `true`.
    case `true`
    /// A number; its text is kept exactly (see ``JSONNumber``).
    case number
    /// A string.
    case string
    /// An array.
    case array
    /// An object.
    case object

    /// The JSON name of the kind (`"string"`, `"number"`, ...).
    public var description: String {
        switch self {
        case .null: return "null"
        case .false, .true: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
