import Foundation
import Logging
import NIOConcurrencyHelpers

/// Turns librdkafka's statistics (`statistics.interval.ms`) into one log line per broker state change: a broker
/// that was up and is not (`warning`), one that is up again (`notice`), and no broker reachable at all (`warning`,
/// once until one is). librdkafka's own lines about failed connections ("Connect to … failed", "3/3 brokers are
/// down", "… might require SASL") stay at debug: they repeat for every client and every retry, and count brokers
/// the client never needed.
///
/// One tracker serves the whole process (``shared``), so a change seen by the producer and the consumer is logged
/// once, through the logger of the client that saw it first.
final class BrokerStateTracker: Sendable {
    /// The process's tracker.
    static let shared = BrokerStateTracker()

    private struct State {
        /// Address (`host:port`) → whether it was up at its last report.
        var brokers: [String: Bool] = [:]
        /// The broker sets already reported as all unreachable (until one of them is up).
        var allDown: Set<String> = []
    }

    private let state = NIOLockedValueBox(State())

    /// Every broker reported so far: address → up.
    var reported: [String: Bool] { state.withLockedValue { $0.brokers } }

    /// Whether the broker at `address` (`host:port`) was up at its last report (nil: never reported).
    func isUp(address: String) -> Bool? {
        state.withLockedValue { $0.brokers[address] }
    }

    /// Reads one statistics document and logs, through `logger`, the changes it shows.
    func observe(statistics json: String, logger: Logger) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let brokers = object["brokers"] as? [String: Any]
        else { return }
        var known: [(id: Int32, up: Bool, address: String, state: String)] = []
        for case let broker as [String: Any] in brokers.values {
            // INIT without a connection attempt: never needed by this client (sparse connections), which says nothing
            // about the broker. After attempts, INIT is a broker waiting for its next reconnect.
            let attempts = (broker["connects"] as? NSNumber)?.intValue ?? 0
            guard let brokerState = broker["state"] as? String, brokerState != "INIT" || attempts > 0 else { continue }
            let id = (broker["nodeid"] as? NSNumber)?.int32Value ?? -1
            let address = broker["nodename"] as? String ?? (broker["name"] as? String ?? "?")
            known.append((id, brokerState == "UP", address, brokerState))
        }
        guard !known.isEmpty else { return }
        var lines: [(Logger.Level, Logger.Message, Logger.Metadata)] = []
        state.withLockedValue { state in
            for broker in known.sorted(by: { $0.id < $1.id }) where broker.id >= 0 {
                let before = state.brokers[broker.address]
                state.brokers[broker.address] = broker.up
                switch (before, broker.up) {
                case (true?, false):
                    lines.append(
                        (.warning,
                         "broker down: its partitions wait for a new leader or for it to return; reconnecting with backoff",
                         ["broker": "\(broker.id)", "address": "\(broker.address)", "state": "\(broker.state)"]))
                case (false?, true):
                    lines.append((.notice, "broker up again", ["broker": "\(broker.id)", "address": "\(broker.address)"]))
                default:
                    break
                }
            }
            let addresses = Set(known.map(\.address))
            let key = addresses.sorted().joined(separator: ",")
            if known.contains(where: \.up) {
                // A broker of a set is back: that set may be reported again when it is all down once more.
                state.allDown = state.allDown.filter { Set($0.split(separator: ",").map(String.init)).isDisjoint(with: addresses) }
            } else if state.allDown.insert(key).inserted {
                lines.append(
                    (.warning, "no broker is reachable: check that they run and kafka.brokers (--brokers)",
                     ["brokers": "\(key)"]))
            }
        }
        for (level, message, metadata) in lines {
            logger.log(level: level, message, metadata: metadata)
        }
    }

    /// Whether a librdkafka log line is about a failed or closed broker connection (kept at debug).
    static func isConnectionNoise(facility: String, message: String) -> Bool {
        guard ["FAIL", "ERROR", "BROKERFAIL"].contains(facility) else { return false }
        return ["brokers are down", "Connect to", "Connection refused", "Disconnected", "might require SASL",
                "Receive failed", "Send failed", "Connection reset", "timed out", "Broker transport failure"]
            .contains { message.contains($0) }
    }
}
