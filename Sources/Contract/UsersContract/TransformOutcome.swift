/// What one record became: a row, or a dead letter.
public enum TransformOutcome: Sendable {
    /// An accepted record.
    case row(UserRow)
    /// A rejected record (section 4).
    case reject(DeadLetter)
}
