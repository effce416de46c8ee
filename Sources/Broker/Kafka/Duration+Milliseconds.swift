extension Duration {
    /// The duration in whole milliseconds, clamped to `Int32` (librdkafka's timeout type), never negative.
    var clampedMilliseconds: Int32 {
        let (seconds, attoseconds) = self.components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1_000)
        if milliseconds.overflow { return seconds < 0 ? 0 : Int32.max }
        let total = milliseconds.partialValue + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, total))
    }
}
