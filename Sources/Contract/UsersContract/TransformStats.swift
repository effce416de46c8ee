/// Counts of what a transformer did: rows, rejects by reason, quality violations by code.
public struct TransformStats: Sendable, Hashable {
    /// Messages (Kafka messages or input lines) given to the transformer.
    public var messages: Int = 0
    /// Records seen: a plain message is one record, an envelope one per element.
    public var records: Int = 0
    /// Rows produced.
    public var rows: Int = 0
    /// Envelopes (`{"results": [...]}`) seen.
    public var envelopes: Int = 0
    /// Envelopes whose `results` was empty (an API outage page): nothing to do, not an error.
    public var emptyEnvelopes: Int = 0
    private var rejectCounts = [Int](repeating: 0, count: RejectReason.allCases.count)
    private var violationCounts = [Int](repeating: 0, count: QualityViolation.allCases.count)

    /// Empty counts.
    public init() {}

    /// Dead letters produced, all reasons.
    public var rejects: Int { rejectCounts.reduce(0, +) }

    /// Quality violations counted, all codes.
    public var violations: Int { violationCounts.reduce(0, +) }

    /// Dead letters with this reason.
    public func count(of reason: RejectReason) -> Int { rejectCounts[reason.index] }

    /// Violations with this code.
    public func count(of violation: QualityViolation) -> Int { violationCounts[violation.index] }

    /// Dead letters by reason (reasons with a zero count left out).
    public var rejectsByReason: [RejectReason: Int] {
        var result: [RejectReason: Int] = [:]
        for reason in RejectReason.allCases where rejectCounts[reason.index] > 0 {
            result[reason] = rejectCounts[reason.index]
        }
        return result
    }

    /// Violations by code (codes with a zero count left out).
    public var violationsByCode: [QualityViolation: Int] {
        var result: [QualityViolation: Int] = [:]
        for violation in QualityViolation.allCases where violationCounts[violation.index] > 0 {
            result[violation] = violationCounts[violation.index]
        }
        return result
    }

    /// Counts one dead letter.
    public mutating func record(_ reason: RejectReason) { rejectCounts[reason.index] += 1 }

    /// Counts one violation.
    public mutating func record(_ violation: QualityViolation) { violationCounts[violation.index] += 1 }

    /// Adds another transformer's counts to these.
    public mutating func merge(_ other: TransformStats) {
        messages += other.messages
        records += other.records
        rows += other.rows
        envelopes += other.envelopes
        emptyEnvelopes += other.emptyEnvelopes
        for k in rejectCounts.indices { rejectCounts[k] += other.rejectCounts[k] }
        for k in violationCounts.indices { violationCounts[k] += other.violationCounts[k] }
    }
}
