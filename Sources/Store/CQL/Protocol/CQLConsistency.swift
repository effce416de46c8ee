/// A consistency level (`[consistency]` in section 3 of the protocol).
public struct CQLConsistency: Sendable, Hashable, CustomStringConvertible {
    /// The protocol's [short] code.
    public let rawValue: UInt16

    /// Wraps a protocol code (unknown codes are kept as they are).
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `ANY` (writes only).
    public static let any = CQLConsistency(rawValue: 0x0000)
    /// `ONE`.
    public static let one = CQLConsistency(rawValue: 0x0001)
    /// `TWO`.
    public static let two = CQLConsistency(rawValue: 0x0002)
    /// `THREE`.
    public static let three = CQLConsistency(rawValue: 0x0003)
    /// `QUORUM`.
    public static let quorum = CQLConsistency(rawValue: 0x0004)
    /// `ALL`.
    public static let all = CQLConsistency(rawValue: 0x0005)
    /// `LOCAL_QUORUM`.
    public static let localQuorum = CQLConsistency(rawValue: 0x0006)
    /// `EACH_QUORUM`.
    public static let eachQuorum = CQLConsistency(rawValue: 0x0007)
    /// `SERIAL` (serial consistency of conditional updates).
    public static let serial = CQLConsistency(rawValue: 0x0008)
    /// `LOCAL_SERIAL`.
    public static let localSerial = CQLConsistency(rawValue: 0x0009)
    /// `LOCAL_ONE`.
    public static let localOne = CQLConsistency(rawValue: 0x000A)

    private static let names: [(String, CQLConsistency)] = [
        ("ANY", .any), ("ONE", .one), ("TWO", .two), ("THREE", .three), ("QUORUM", .quorum), ("ALL", .all),
        ("LOCAL_QUORUM", .localQuorum), ("EACH_QUORUM", .eachQuorum), ("SERIAL", .serial),
        ("LOCAL_SERIAL", .localSerial), ("LOCAL_ONE", .localOne),
    ]

    /// Parses a name such as `LOCAL_QUORUM` (case-insensitive); nil when unknown.
    public init?(name: String) {
        let upper = name.uppercased()
        guard let match = Self.names.first(where: { $0.0 == upper }) else { return nil }
        self = match.1
    }

    /// The CQL name, e.g. `LOCAL_QUORUM`.
    public var description: String {
        Self.names.first(where: { $0.1.rawValue == self.rawValue })?.0 ?? "0x\(String(self.rawValue, radix: 16))"
    }
}
