import FakeCassandraSchema
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import CQL

/// A few fake Cassandra nodes on 127.0.0.x (same port), enough for the client: handshake, `system.local`,
/// `system.peers`, `system_schema.keyspaces`, REGISTER, PREPARE and EXECUTE of one INSERT with a text key.
/// Each node logs the keys it executed; a node can be told to answer EXECUTE with an error or to drop the
/// connection, and can be stopped (listener and connections) and started again on the same port.
///
/// Like Cassandra, each node keeps its own prepared statements (an EXECUTE of an id it does not know is answered
/// UNPREPARED; a restart forgets them all) and its own schema: `CREATE KEYSPACE` / `CREATE TABLE` change the node
/// that runs them at once and reach the others after their `schemaDelay` (a node that is stopped gets them when it
/// starts again); a `CREATE TABLE` on a node without its keyspace fails as Cassandra's does. `schema_version` in
/// `system.local` and `system.peers` follows each node's schema, and a node that is stopped keeps the version it
/// had in the others' `system.peers`.
final class FakeCluster: Sendable {
    struct Node: Sendable {
        var address: String
        var dataCenter: String
        var tokens: [Int64]
    }

    enum Behaviour: Sendable {
        case normal
        case error(code: Int32)
        case closeOnExecute
    }

    static let insert = "INSERT INTO ks.t (k, v) VALUES (?, ?)"
    static let preparedID: [UInt8] = [0x51, 0x52]

    let nodes: [Node]
    /// The nodes' listeners and the connections they accepted.
    private let listeners: FakeNodeListeners
    /// Requests each node received, by opcode (e.g. how many STARTUPs and REGISTERs).
    private let requests = NIOLockedValueBox<[String: [CQLOpcode: Int]]>([:])
    private let log = NIOLockedValueBox<[(node: String, key: String)]>([])
    private let behaviours = NIOLockedValueBox<[String: Behaviour]>([:])
    /// When set, STARTUP is answered with AUTHENTICATE and only this `\0user\0password` token is accepted.
    let requiredToken = NIOLockedValueBox<[UInt8]?>(nil)

    /// Each node's schema (delays, lagging gossip and the DDL log are set and read through it).
    let schema: NodeSchemas
    /// The prepared statement ids each node knows.
    private let preparedIDs = NIOLockedValueBox<[String: Set<[UInt8]>]>([:])
    /// How many EXECUTEs each node answered UNPREPARED.
    private let unpreparedAnswers = NIOLockedValueBox<[String: Int]>([:])

    private init(nodes: [Node], listeners: FakeNodeListeners) {
        self.nodes = nodes
        self.listeners = listeners
        self.schema = NodeSchemas(nodes: nodes.map(\.address)) { listeners.runningNodes }
    }

    /// Starts the nodes; the first picks a free port and the others bind the same one.
    static func start(_ nodes: [Node]) async throws -> FakeCluster {
        let holder = NIOLockedValueBox<FakeCluster?>(nil)
        let listeners = try await FakeNodeListeners.start(nodes.map(\.address)) { address, channel, number in
            let node = nodes.first { $0.address == address }!
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
            try channel.pipeline.syncOperations.addHandler(
                FakeNodeHandler(node: node, cluster: holder, connectionNumber: number))
        }
        let cluster = FakeCluster(nodes: nodes, listeners: listeners)
        holder.withLockedValue { $0 = cluster }
        return cluster
    }

    /// The port every node listens on.
    var port: Int { self.listeners.port }

    func stop() async { await self.listeners.stop() }

    /// Stops one node as a crash or restart does: its listener and every connection it accepted close.
    func stopNode(_ address: String) async { await self.listeners.stopNode(address) }

    /// Starts a stopped node again on the cluster's port.
    func restartNode(_ address: String) async throws {
        _ = try #require(self.nodes.first { $0.address == address })
        self.preparedIDs.withLockedValue { $0[address] = [] }
        self.schema.catchUp(address)
        try await self.listeners.restart(address)
    }

    /// The nodes whose listener is open.
    var runningNodes: [String] { self.listeners.runningNodes }

    func isRunning(_ address: String) -> Bool { self.listeners.isRunning(address) }

    // MARK: prepared statements

    func prepared(_ id: [UInt8], on address: String) {
        self.preparedIDs.withLockedValue { _ = $0[address, default: []].insert(id) }
    }

    func knows(_ id: [UInt8], on address: String) -> Bool {
        self.preparedIDs.withLockedValue { $0[address]?.contains(id) ?? false }
    }

    /// Makes a node forget its prepared statements (as a cache eviction or an unnoticed restart does).
    func forgetPrepared(on address: String) { self.preparedIDs.withLockedValue { $0[address] = [] } }

    func answeredUnprepared(on address: String) {
        self.unpreparedAnswers.withLockedValue { $0[address, default: 0] += 1 }
    }

    /// How many EXECUTEs a node answered UNPREPARED.
    func unpreparedCount(on address: String) -> Int { self.unpreparedAnswers.withLockedValue { $0[address] ?? 0 } }

    // MARK: schema

    /// Whether a node has a keyspace (`ks`) or table (`ks.t`).
    func has(_ object: String, on address: String) -> Bool { self.schema.has(object, on: address) }

    /// The DDL the nodes ran, in order.
    var schemaChanges: [SchemaChange] { self.schema.changes }

    /// A node's schema version: 16 bytes derived from its keyspaces and tables (equal schemas, equal versions).
    func schemaVersion(of address: String) -> [UInt8] { self.schema.version(of: address) }

    /// The connections a node has open.
    func openConnections(_ address: String) -> Int { self.listeners.openConnections(address) }

    /// How many requests with `opcode` a node has received.
    func requestCount(_ opcode: CQLOpcode, on address: String) -> Int {
        self.requests.withLockedValue { $0[address]?[opcode] ?? 0 }
    }

    func received(_ opcode: CQLOpcode, on address: String) {
        self.requests.withLockedValue { $0[address, default: [:]][opcode, default: 0] += 1 }
    }

    /// Stops one node's listener (its open connections stay).
    func stopListening(_ address: String) async { await self.listeners.stopListening(address) }

    func setBehaviour(_ behaviour: Behaviour, for address: String) {
        self.behaviours.withLockedValue { $0[address] = behaviour }
    }

    func behaviour(for address: String) -> Behaviour { self.behaviours.withLockedValue { $0[address] ?? .normal } }

    func record(node: String, key: String) { self.log.withLockedValue { $0.append((node, key)) } }

    var executions: [(node: String, key: String)] { self.log.withLockedValue { $0 } }

    func clearLog() { self.log.withLockedValue { $0 = [] } }

    /// The node that owns a key's token (the first node token ≥ the key's token, wrapping).
    func owner(of key: String) -> String {
        let ring = CQLTokenRing(
            hosts: self.nodes.map {
                CQLHost(address: $0.address, port: self.port, dataCenter: $0.dataCenter, tokens: $0.tokens)
            })
        let id = ring.primaryOwner(of: Murmur3.token(Array(key.utf8)))!
        return String(id.split(separator: ":")[0])
    }
}

/// One fake node's protocol handler.
final class FakeNodeHandler: ChannelInboundHandler {
    typealias InboundIn = CQLFrame
    typealias OutboundOut = ByteBuffer

    let node: FakeCluster.Node
    let cluster: NIOLockedValueBox<FakeCluster?>
    /// This connection's number (for the DDL log).
    let connectionNumber: Int

    init(node: FakeCluster.Node, cluster: NIOLockedValueBox<FakeCluster?>, connectionNumber: Int) {
        self.node = node
        self.cluster = cluster
        self.connectionNumber = connectionNumber
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        guard let cluster = self.cluster.withLockedValue({ $0 }) else { return }
        var body = frame.body
        let stream = frame.header.stream
        cluster.received(frame.header.opcode, on: self.node.address)
        func reply(_ opcode: UInt8, _ bytes: [UInt8]) {
            let buffer = ByteBuffer(bytes: responseFrame(stream: stream, opcode: opcode, body: bytes))
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        }
        switch frame.header.opcode {
        case .startup:
            if cluster.requiredToken.withLockedValue({ $0 }) != nil {
                reply(0x03, str("org.apache.cassandra.auth.PasswordAuthenticator"))
            } else {
                reply(0x02, [])
            }
        case .authResponse:
            let token = (try? body.readCQLBytes()).flatMap { $0.map { Array($0.readableBytesView) } }
            if token == cluster.requiredToken.withLockedValue({ $0 }) {
                reply(0x10, int(-1))
            } else {
                reply(0x00, int(0x0100) + str("Provided username and/or password are incorrect"))
            }
        case .register:
            reply(0x02, [])
        case .query:
            let query = (try? body.readCQLLongString()) ?? ""
            if query.hasPrefix("CREATE") {
                if let error = cluster.schema.run(query, on: self.node.address, connection: self.connectionNumber) {
                    reply(0x00, int(0x2200) + str(error))
                } else {
                    let name = query.split(whereSeparator: { $0.isWhitespace || $0 == "(" })[5].split(separator: ".")
                    let target = query.contains("KEYSPACE") ? "KEYSPACE" : "TABLE"
                    reply(0x08, int(5) + str("CREATED") + str(target) + name.flatMap { str(String($0)) })
                }
                return
            }
            reply(0x08, self.answer(query, values: Self.values(&body), cluster: cluster))
        case .prepare:
            cluster.prepared(FakeCluster.preparedID, on: self.node.address)
            reply(
                0x08,
                int(4) + short(FakeCluster.preparedID.count) + FakeCluster.preparedID
                    + int(1) + int(2) + int(1) + short(0)
                    + str("ks") + str("t") + str("k") + short(0x000D) + str("v") + short(0x000D)
                    + int(4) + int(0))
        case .execute:
            let id = (try? body.readCQLShortBytes()) ?? []
            guard cluster.knows(id, on: self.node.address) else {
                cluster.answeredUnprepared(on: self.node.address)
                reply(0x00, int(0x2500) + str("Prepared query with ID \(id) not found") + short(id.count) + id)
                return
            }
            _ = try? body.readCQLShort()
            _ = try? body.readCQLByte()
            _ = try? body.readCQLShort()
            let key = (try? body.readCQLBytes()).flatMap { $0.map { String(buffer: $0) } } ?? ""
            cluster.record(node: self.node.address, key: key)
            switch cluster.behaviour(for: self.node.address) {
            case .normal: reply(0x08, int(1))
            case .error(let code): reply(0x00, int(code) + str("fake failure") + Self.details(code))
            case .closeOnExecute: context.close(promise: nil)
            }
        default:
            reply(0x00, int(0x000A) + str("unsupported by the fake"))
        }
    }

    static func details(_ code: Int32) -> [UInt8] {
        switch code {
        case 0x1000: hex("0006") + int(2) + int(1)
        case 0x1100: hex("0006") + int(0) + int(1) + str("SIMPLE")
        case 0x1200: hex("0006") + int(0) + int(1) + [0]
        default: []
        }
    }

    private func inet(_ address: String) -> [UInt8] { CQLInet(address)!.bytes }

    private func tokens(_ tokens: [Int64]) -> [UInt8] {
        int(Int32(tokens.count)) + tokens.flatMap { bytes(Array(String($0).utf8)) }
    }

    /// The values of a QUERY body after its query string, as text.
    static func values(_ body: inout ByteBuffer) -> [String] {
        guard (try? body.readCQLShort()) != nil, let flags = try? body.readCQLByte(), flags & 0x01 != 0,
            let count = try? body.readCQLShort()
        else { return [] }
        return (0..<count).map { _ in (try? body.readCQLBytes()).flatMap { $0.map { String(buffer: $0) } } ?? "" }
    }

    private func answer(_ query: String, values: [String], cluster: FakeCluster) -> [UInt8] {
        let text: [UInt8] = short(0x000D)
        let uuid: [UInt8] = short(0x000C)
        if query.contains("FROM system.local") {
            return int(2) + int(1) + int(4) + str("system") + str("local")
                + str("data_center") + text + str("rack") + text + str("tokens") + short(0x0022) + text
                + str("schema_version") + uuid
                + int(1) + bytes(Array(self.node.dataCenter.utf8)) + bytes(Array("r1".utf8))
                + bytes(self.tokens(self.node.tokens)) + bytes(cluster.schemaVersion(of: self.node.address))
        }
        if query.contains("FROM system.peers") {
            let others = cluster.nodes.filter { $0.address != self.node.address }
            var body =
                int(2) + int(1) + int(6) + str("system") + str("peers")
                + str("peer") + short(0x0010) + str("rpc_address") + short(0x0010)
                + str("data_center") + text + str("rack") + text + str("tokens") + short(0x0022) + text
                + str("schema_version") + uuid
                + int(Int32(others.count))
            for other in others {
                body +=
                    bytes(self.inet(other.address)) + bytes(self.inet(other.address))
                    + bytes(Array(other.dataCenter.utf8)) + bytes(Array("r1".utf8)) + bytes(self.tokens(other.tokens))
                    + bytes(cluster.schema.version(of: other.address, seenBy: self.node.address))
            }
            return body
        }
        if query.contains("system_schema.tables") {
            let found = values.count == 2 && cluster.has("\(values[0]).\(values[1])", on: self.node.address)
            return int(2) + int(1) + int(1) + str("system_schema") + str("tables") + str("table_name") + text
                + int(found ? 1 : 0) + (found ? bytes(Array(values[1].utf8)) : [])
        }
        if query.contains("system_schema.keyspaces") {
            let map =
                int(2) + bytes(Array("class".utf8)) + bytes(Array("org.apache.cassandra.locator.SimpleStrategy".utf8))
                + bytes(Array("replication_factor".utf8)) + bytes(Array("1".utf8))
            return int(2) + int(1) + int(1) + str("system_schema") + str("keyspaces")
                + str("replication") + short(0x0021) + text + text + int(1) + bytes(map)
        }
        return int(1)
    }
}
