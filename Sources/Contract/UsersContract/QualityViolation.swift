/// A field of an accepted record that was dropped because its value broke a rule (contract section 2,
/// item 16). Counted per field; the row is still written, without that column.
public struct QualityViolation: Hashable, Sendable, CustomStringConvertible {
    private enum Base: Int, Hashable, Sendable, CaseIterable {
        case coordinatesInvalid, dateInvalid, dateOfBirthInFuture, ageInvalid
    }
    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// A latitude or longitude that is not a finite number within ±90 / ±180.
    public static let coordinatesInvalid = QualityViolation(.coordinatesInvalid)
    /// `dob.date` or `registered.date` that is not an ISO-8601 date-time the contract accepts.
    public static let dateInvalid = QualityViolation(.dateInvalid)
    /// `dob.date` strictly after the moment the run started.
    public static let dateOfBirthInFuture = QualityViolation(.dateOfBirthInFuture)
    /// `dob.age` that is not an integer in 0–150.
    public static let ageInvalid = QualityViolation(.ageInvalid)

    /// Every violation.
    public static let allCases: [QualityViolation] = Base.allCases.map(QualityViolation.init)

    /// The contract's code: `coordinates_invalid`, `date_invalid`, `date_of_birth_in_future`, `age_invalid`.
    public var code: String {
        switch base {
        case .coordinatesInvalid: return "coordinates_invalid"
        case .dateInvalid: return "date_invalid"
        case .dateOfBirthInFuture: return "date_of_birth_in_future"
        case .ageInvalid: return "age_invalid"
        }
    }

    /// A dense index (0..<allCases.count) for counting.
    var index: Int { base.rawValue }

    /// ``code``.
    public var description: String { code }
}
