import NIOConcurrencyHelpers

/// One DDL statement a node ran.
public struct SchemaChange: Sendable {
    public var node: String
    /// The connection it came on (one number per accepted connection).
    public var connection: Int
    public var statement: String
    /// For `CREATE TABLE`: the running nodes that did not have its keyspace at that moment.
    public var keyspaceMissingOn: [String]

    public init(node: String, connection: Int, statement: String, keyspaceMissingOn: [String]) {
        self.node = node
        self.connection = connection
        self.statement = statement
        self.keyspaceMissingOn = keyspaceMissingOn
    }
}

/// What the fake nodes' schemas are, and how changes travel between them.
public struct SchemaState: Sendable {
    /// Each node's keyspaces (`ks`) and tables (`ks.t`).
    public var objects: [String: Set<String>] = [:]
    /// How long a change made on another node takes to reach a node (default: at once).
    public var delays: [String: Duration] = [:]
    /// Nodes whose `system.peers` shows every peer at their own version (they have heard nothing new).
    public var gossipLagging: Set<String> = []
    public var changes: [SchemaChange] = []

    public init() {}
}

/// Each fake Cassandra node's own schema, as in Cassandra: `CREATE KEYSPACE` / `CREATE TABLE` change the node that
/// runs them at once and reach the others after their `delays` (a node that is stopped gets them when it starts
/// again: `catchUp(_:)`); a `CREATE TABLE` on a node without its keyspace fails as Cassandra's does. A node's schema
/// version follows its schema, and a node that is stopped keeps the version it had in the others' `system.peers`.
public final class NodeSchemas: Sendable {
    /// Every node's address (the ones a change travels to).
    public let nodes: [String]
    private let runningNodes: @Sendable () -> [String]
    private let state = NIOLockedValueBox(SchemaState())

    /// `runningNodes` answers which nodes are up at the moment (a stopped node hears of no change).
    public init(nodes: [String], runningNodes: @escaping @Sendable () -> [String]) {
        self.nodes = nodes
        self.runningNodes = runningNodes
    }

    /// Reads or changes the state (delays, lagging gossip, what each node has, the DDL log) under its lock.
    public func withLockedValue<Value>(_ body: (inout SchemaState) throws -> Value) rethrows -> Value {
        try self.state.withLockedValue(body)
    }

    /// The DDL the nodes ran, in order.
    public var changes: [SchemaChange] { self.state.withLockedValue { $0.changes } }

    /// Whether a node has a keyspace (`ks`) or table (`ks.t`).
    public func has(_ object: String, on address: String) -> Bool {
        self.state.withLockedValue { $0.objects[address]?.contains(object) ?? false }
    }

    /// A node's schema version: 16 bytes derived from its keyspaces and tables (equal schemas, equal versions).
    public func version(of address: String) -> [UInt8] {
        let objects = self.state.withLockedValue { $0.objects[address] ?? [] }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in objects.sorted().joined(separator: ",").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let half = withUnsafeBytes(of: hash.bigEndian) { Array($0) }
        return half + half
    }

    /// The version `viewer` shows for `peer` in its `system.peers`.
    public func version(of peer: String, seenBy viewer: String) -> [UInt8] {
        let lagging = self.state.withLockedValue { $0.gossipLagging.contains(viewer) }
        return self.version(of: lagging ? viewer : peer)
    }

    /// Runs a `CREATE KEYSPACE|TABLE IF NOT EXISTS name` on `address`; returns the error message when it fails.
    public func run(_ statement: String, on address: String, connection: Int) -> String? {
        let words = statement.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).map(String.init)
        guard words.count >= 6, words[0] == "CREATE" else { return "unsupported DDL" }
        let name = words[5]
        let isTable = words[1] == "TABLE"
        let keyspace = isTable ? String(name.split(separator: ".")[0]) : name
        let running = self.runningNodes()
        let error = self.state.withLockedValue { schema -> String? in
            let missing = running.filter { !(schema.objects[$0]?.contains(keyspace) ?? false) }
            schema.changes.append(
                SchemaChange(
                    node: address, connection: connection, statement: statement,
                    keyspaceMissingOn: isTable ? missing : []))
            if isTable && !(schema.objects[address]?.contains(keyspace) ?? false) {
                return "Keyspace '\(keyspace)' doesn't exist"
            }
            schema.objects[address, default: []].insert(name)
            return nil
        }
        guard error == nil else { return error }
        for other in self.nodes where other != address {
            let delay = self.state.withLockedValue { $0.delays[other] } ?? .zero
            if delay == .zero {
                self.receive(name, on: other)
            } else {
                Task { [weak self] in
                    try? await Task.sleep(for: delay)
                    self?.receive(name, on: other)
                }
            }
        }
        return nil
    }

    /// A node that starts again gets what the running nodes have (call it before the node counts as running).
    public func catchUp(_ address: String) {
        let running = self.runningNodes()
        self.state.withLockedValue { schema in
            for other in running { schema.objects[address, default: []].formUnion(schema.objects[other] ?? []) }
        }
    }

    /// A change made elsewhere reaches a node; a stopped node gets it when it starts again.
    private func receive(_ object: String, on address: String) {
        guard self.runningNodes().contains(address) else { return }
        self.state.withLockedValue { _ = $0.objects[address, default: []].insert(object) }
    }
}
