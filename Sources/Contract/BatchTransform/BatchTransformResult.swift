import UsersContract

/// What a batch transform did: the transformer's counts plus the file-level figures.
public struct BatchTransformResult: Sendable, Hashable {
    /// Counts of messages, records, rows, rejects by reason and violations by code.
    public var stats: TransformStats
    /// Blank or white-space-only lines skipped.
    public var blankLines: Int
    /// Bytes read from the input.
    public var bytesRead: Int
    /// Wall-clock seconds the job ran.
    public var elapsedSeconds: Double

    /// Creates a result.
    public init(stats: TransformStats, blankLines: Int, bytesRead: Int, elapsedSeconds: Double) {
        self.stats = stats
        self.blankLines = blankLines
        self.bytesRead = bytesRead
        self.elapsedSeconds = elapsedSeconds
    }

    /// Records (one per plain line, one per envelope element) per second of wall-clock time.
    public var recordsPerSecond: Double {
        elapsedSeconds > 0 ? Double(stats.records) / elapsedSeconds : 0
    }

    /// The summary for stderr (section 6): counts by outcome, reject reasons, quality violations; no
    /// trailing newline.
    ///
    /// ```
    /// transform: 1000000 records from 1000000 lines (0 blank) in 3.41 s, 293255 records/s
    ///   rows        999000
    ///   rejected      1000
    ///     too_large           0
    ///     ...
    ///   quality violations    12
    ///     coordinates_invalid 12
    ///     ...
    /// ```
    public var summaryText: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        func right(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        let seconds = (elapsedSeconds * 100).rounded() / 100
        var lines: [String] = []
        lines.append(
            "transform: \(stats.records) records from \(stats.messages) lines (\(blankLines) blank skipped) "
                + "in \(seconds) s, \(Int(recordsPerSecond.rounded())) records/s")
        lines.append("  " + pad("rows", 26) + right(stats.rows, 10))
        lines.append("  " + pad("rejected", 26) + right(stats.rejects, 10))
        for reason in RejectReason.allCases {
            lines.append("    " + pad(reason.code, 24) + right(stats.count(of: reason), 10))
        }
        lines.append("  " + pad("quality violations", 26) + right(stats.violations, 10))
        for violation in QualityViolation.allCases {
            lines.append("    " + pad(violation.code, 24) + right(stats.count(of: violation), 10))
        }
        if stats.envelopes > 0 {
            lines.append("  " + pad("envelopes", 26) + right(stats.envelopes, 10))
            lines.append("    " + pad("empty (results: [])", 24) + right(stats.emptyEnvelopes, 10))
        }
        return lines.joined(separator: "\n")
    }
}
