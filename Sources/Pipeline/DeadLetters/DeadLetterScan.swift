import UsersContract

/// What a ``DeadLetterReader`` found in the dead-letter topic: the unique letters, and the copies it dropped.
///
/// A batch that is delivered again (after a crash between the store write and the commit, or a rebalance) writes its
/// dead letters again, so one rejected record can have several letters. Letters are unique by their source position
/// (``DeadLetterEntry/Source``): of several letters with the same source, the first in the topic (by partition, then
/// offset) is kept and the others are counted as copies. Letters without a source position (batch rejects) are all
/// kept.
public struct DeadLetterScan: Sendable {
    /// How many letters one reason has.
    public struct ReasonCount: Sendable, Hashable {
        /// The reason.
        public var reason: RejectReason
        /// Unique letters with this reason.
        public var letters: Int
        /// Copies of them that were dropped.
        public var copiesDropped: Int

        /// A count.
        /// - Parameters:
        ///   - reason: the reason.
        ///   - letters: unique letters with it.
        ///   - copiesDropped: copies of them dropped.
        public init(reason: RejectReason, letters: Int, copiesDropped: Int) {
            self.reason = reason
            self.letters = letters
            self.copiesDropped = copiesDropped
        }
    }

    /// The dead-letter topic.
    public var topic: String
    /// The unique letters, by partition then offset in the dead-letter topic.
    public private(set) var letters: [DeadLetterEntry]
    /// The letters dropped as copies of a kept one, by partition then offset.
    public private(set) var copies: [DeadLetterEntry]
    /// Messages of the topic that are not dead letters (skipped).
    public var skipped: Int

    /// Sorts `entries` by their place in the topic and keeps the first letter of each source position.
    /// - Parameters:
    ///   - topic: the dead-letter topic.
    ///   - entries: every letter read, in any order.
    ///   - skipped: messages that were not dead letters. Default: 0.
    public init(topic: String, entries: [DeadLetterEntry], skipped: Int = 0) {
        self.topic = topic
        self.skipped = skipped
        var seen = Set<DeadLetterEntry.Source>()
        var letters: [DeadLetterEntry] = []
        var copies: [DeadLetterEntry] = []
        for entry in entries.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            if let source = entry.source, !seen.insert(source).inserted {
                copies.append(entry)
            } else {
                letters.append(entry)
            }
        }
        self.letters = letters
        self.copies = copies
    }

    /// How many copies were dropped.
    public var copiesDropped: Int { copies.count }

    /// The unique letters and dropped copies per reason, the most letters first (then by code).
    public var byReason: [ReasonCount] {
        var counts: [RejectReason: ReasonCount] = [:]
        for entry in letters {
            counts[entry.reason, default: ReasonCount(reason: entry.reason, letters: 0, copiesDropped: 0)].letters += 1
        }
        for entry in copies {
            counts[entry.reason, default: ReasonCount(reason: entry.reason, letters: 0, copiesDropped: 0)]
                .copiesDropped += 1
        }
        return counts.values.sorted { ($1.letters, $0.reason.code) < ($0.letters, $1.reason.code) }
    }

    /// The unique letters with one of `reasons` or at one of `offsets` of the dead-letter topic, in topic order.
    ///
    /// An offset that holds a dropped copy chooses the letter it copies, so a record is never chosen twice.
    /// - Parameters:
    ///   - reasons: the reasons to choose.
    ///   - offsets: offsets in the dead-letter topic (in any of its partitions).
    /// - Returns: the chosen letters, and the offsets given that hold no letter (sorted).
    public func select(
        reasons: Set<RejectReason>, offsets: Set<Int64>
    ) -> (letters: [DeadLetterEntry], unmatchedOffsets: [Int64]) {
        var matched = Set<Int64>()
        var chosenSources = Set<DeadLetterEntry.Source>()
        for copy in copies where offsets.contains(copy.offset) {
            matched.insert(copy.offset)
            if let source = copy.source { chosenSources.insert(source) }
        }
        var chosen: [DeadLetterEntry] = []
        for entry in letters {
            let byOffset = offsets.contains(entry.offset)
            if byOffset { matched.insert(entry.offset) }
            if byOffset || reasons.contains(entry.reason) || entry.source.map(chosenSources.contains) == true {
                chosen.append(entry)
            }
        }
        return (chosen, offsets.subtracting(matched).sorted())
    }
}
