/// Why a text is not JSON, and where the parser gave up.
///
/// The error never quotes the input, so it is safe to log even when the input holds secrets.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong: a struct over a private enum, so new codes don't break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case emptyInput = "empty_input"
            case unexpectedEnd = "unexpected_end"
            case unexpectedCharacter = "unexpected_character"
            case invalidLiteral = "invalid_literal"
            case invalidNumber = "invalid_number"
            case invalidEscape = "invalid_escape"
            case loneSurrogate = "lone_surrogate"
            case controlCharacterInString = "control_character_in_string"
            case invalidUTF8 = "invalid_utf8"
            case tooDeep = "too_deep"
            case trailingData = "trailing_data"
            case inputTooLarge = "input_too_large"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input holds no value (empty or only white space).
        public static let emptyInput = Code(.emptyInput)
        /// The input ends inside a value.
        public static let unexpectedEnd = Code(.unexpectedEnd)
        /// A byte that cannot start or continue a value here (this includes a byte-order mark).
        public static let unexpectedCharacter = Code(.unexpectedCharacter)
        /// A word that is not `true`, `false` or `null` (this includes `NaN` and `Infinity`).
        public static let invalidLiteral = Code(.invalidLiteral)
        /// A number that does not follow RFC 8259's grammar.
        public static let invalidNumber = Code(.invalidNumber)
        /// A backslash escape that RFC 8259 does not define.
        public static let invalidEscape = Code(.invalidEscape)
        /// A `\u` escape of a surrogate that is not part of a high-low pair.
        public static let loneSurrogate = Code(.loneSurrogate)
        /// An unescaped byte below U+0020 inside a string.
        public static let controlCharacterInString = Code(.controlCharacterInString)
        /// Bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// More levels of nesting than ``JSONParser/maxDepth``.
        public static let tooDeep = Code(.tooDeep)
        /// Something other than white space after the value.
        public static let trailingData = Code(.trailingData)
        /// An input of 4 GiB or more (offsets are 32-bit).
        public static let inputTooLarge = Code(.inputTooLarge)

        /// The code as a snake_case string (`"invalid_utf8"`).
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The byte offset in the input where the parser gave up.
    public var offset: Int

    /// Creates an error.
    public init(code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// `"<code> at byte <offset>"`.
    public var description: String { "\(code) at byte \(offset)" }
}
