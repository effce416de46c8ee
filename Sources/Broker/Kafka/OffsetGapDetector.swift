/// Tracks the next expected offset of each assigned partition and reports skipped ranges.
///
/// Pure state, no I/O: the consumer feeds it assignments (with committed offsets), revocations and each
/// message's offset. A message whose offset is above the expected one means records were lost
/// (for example removed by retention, or by the embedded broker's size cap, before they were read).
struct OffsetGapDetector: Sendable {
    /// A skipped range `expected..<got` on one partition.
    struct Gap: Sendable, Hashable {
        var topicPartition: KafkaTopicPartition
        var expected: Int64
        var got: Int64
    }

    private var expected: [KafkaTopicPartition: Int64] = [:]

    /// Starts tracking `partition`; `nextOffset` is the committed offset, or `nil` when unknown
    /// (then the first message sets it).
    mutating func assign(_ partition: KafkaTopicPartition, nextOffset: Int64?) {
        if let nextOffset, nextOffset >= 0 {
            self.expected[partition] = nextOffset
        } else {
            self.expected.removeValue(forKey: partition)
        }
    }

    /// Stops tracking `partition`.
    mutating func revoke(_ partition: KafkaTopicPartition) {
        self.expected.removeValue(forKey: partition)
    }

    /// The next expected offset of `partition`, if known.
    func expectedOffset(_ partition: KafkaTopicPartition) -> Int64? {
        self.expected[partition]
    }

    /// Records a message at `offset` and returns the gap before it, if any.
    ///
    /// An offset *below* the expected one (a re-delivery after a seek or reassignment) is not a gap; tracking
    /// restarts from it.
    mutating func observe(_ partition: KafkaTopicPartition, offset: Int64) -> Gap? {
        let previous = self.expected.updateValue(offset + 1, forKey: partition)
        if let previous, offset > previous {
            return Gap(topicPartition: partition, expected: previous, got: offset)
        }
        return nil
    }
}
