import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
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
    let port: Int
    private let channels: NIOLockedValueBox<[String: any Channel]>
    /// The connections each node accepted and still has open.
    private let connections = NIOLockedValueBox<[String: [any Channel]]>([:])
    /// Requests each node received, by opcode (e.g. how many STARTUPs and REGISTERs).
    private let requests = NIOLockedValueBox<[String: [CQLOpcode: Int]]>([:])
    private let holder: NIOLockedValueBox<FakeCluster?>
    private let log = NIOLockedValueBox<[(node: String, key: String)]>([])
    private let behaviours = NIOLockedValueBox<[String: Behaviour]>([:])
    /// When set, STARTUP is answered with AUTHENTICATE and only this `\0user\0password` token is accepted.
    let requiredToken = NIOLockedValueBox<[UInt8]?>(nil)

    /// One DDL statement a node ran.
    struct SchemaChange: Sendable {
        var node: String
        /// The connection it came on (one number per accepted connection).
        var connection: Int
        var statement: String
        /// For `CREATE TABLE`: the running nodes that did not have its keyspace at that moment.
        var keyspaceMissingOn: [String]
    }

    struct SchemaState: Sendable {
        /// Each node's keyspaces (`ks`) and tables (`ks.t`).
        var objects: [String: Set<String>] = [:]
        /// How long a change made on another node takes to reach a node (default: at once).
        var delays: [String: Duration] = [:]
        /// Nodes whose `system.peers` shows every peer with their own version (they have heard nothing new).
        var gossipLagging: Set<String> = []
        var changes: [SchemaChange] = []
    }

    let schema = NIOLockedValueBox(SchemaState())
    /// The prepared statement ids each node knows.
    private let preparedIDs = NIOLockedValueBox<[String: Set<[UInt8]>]>([:])
    /// How many EXECUTEs each node answered UNPREPARED.
    private let unpreparedAnswers = NIOLockedValueBox<[String: Int]>([:])
    private let connectionNumbers = NIOLockedValueBox(0)

    private init(nodes: [Node], port: Int, channels: [String: any Channel], holder: NIOLockedValueBox<FakeCluster?>) {
        self.nodes = nodes
        self.port = port
        self.channels = NIOLockedValueBox(channels)
        self.holder = holder
    }

    /// Starts the nodes; the first picks a free port and the others bind the same one.
    static func start(_ nodes: [Node]) async throws -> FakeCluster {
        var channels: [String: any Channel] = [:]
        var port = 0
        let holder = NIOLockedValueBox<FakeCluster?>(nil)
        for node in nodes {
            let channel = try await Self.listen(node, port: port, holder: holder)
            port = channel.localAddress?.port ?? port
            channels[node.address] = channel
        }
        let cluster = FakeCluster(nodes: nodes, port: port, channels: channels, holder: holder)
        holder.withLockedValue { $0 = cluster }
        return cluster
    }

    private static func listen(
        _ node: Node, port: Int, holder: NIOLockedValueBox<FakeCluster?>
    ) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                holder.withLockedValue { $0 }?.accepted(channel, node: node.address)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(FakeNodeHandler(node: node, cluster: holder))
                }
            }
            .bind(host: node.address, port: port).get()
    }

    private func accepted(_ channel: any Channel, node: String) {
        self.connections.withLockedValue { $0[node, default: []].append(channel) }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.connections.withLockedValue { $0[node]?.removeAll { $0 === channel } }
        }
    }

    func stop() async {
        for channel in self.channels.withLockedValue({ Array($0.values) }) { try? await channel.close() }
        for channel in self.connections.withLockedValue({ $0.values.flatMap { $0 } }) { try? await channel.close() }
    }

    /// Stops one node as a crash or restart does: its listener and every connection it accepted close.
    func stopNode(_ address: String) async {
        await self.stopListening(address)
        for channel in self.connections.withLockedValue({ $0.removeValue(forKey: address) ?? [] }) {
            try? await channel.close()
        }
    }

    /// Starts a stopped node again on the cluster's port.
    func restartNode(_ address: String) async throws {
        let node = try #require(self.nodes.first { $0.address == address })
        self.preparedIDs.withLockedValue { $0[address] = [] }
        let running = self.runningNodes
        self.schema.withLockedValue { schema in
            for other in running { schema.objects[address, default: []].formUnion(schema.objects[other] ?? []) }
        }
        let channel = try await Self.listen(node, port: self.port, holder: self.holder)
        self.channels.withLockedValue { $0[address] = channel }
    }

    /// The nodes whose listener is open.
    var runningNodes: [String] { self.channels.withLockedValue { $0.keys.sorted() } }

    func isRunning(_ address: String) -> Bool { self.channels.withLockedValue { $0[address] != nil } }

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

    func nextConnectionNumber() -> Int {
        self.connectionNumbers.withLockedValue {
            $0 += 1
            return $0
        }
    }

    // MARK: schema

    /// Whether a node has a keyspace (`ks`) or table (`ks.t`).
    func has(_ object: String, on address: String) -> Bool {
        self.schema.withLockedValue { $0.objects[address]?.contains(object) ?? false }
    }

    /// The DDL the nodes ran, in order.
    var schemaChanges: [SchemaChange] { self.schema.withLockedValue { $0.changes } }

    /// A node's schema version: 16 bytes derived from its keyspaces and tables (equal schemas, equal versions).
    func schemaVersion(of address: String) -> [UInt8] {
        let objects = self.schema.withLockedValue { $0.objects[address] ?? [] }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in objects.sorted().joined(separator: ",").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let half = withUnsafeBytes(of: hash.bigEndian) { Array($0) }
        return half + half
    }

    /// The version `viewer` shows for `peer` in its `system.peers`.
    func schemaVersion(of peer: String, seenBy viewer: String) -> [UInt8] {
        let lagging = self.schema.withLockedValue { $0.gossipLagging.contains(viewer) }
        return self.schemaVersion(of: lagging ? viewer : peer)
    }

    /// Runs a `CREATE KEYSPACE|TABLE IF NOT EXISTS` on `address`; returns the error message when it fails.
    func runDDL(_ statement: String, on address: String, connection: Int) -> String? {
        let words = statement.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).map(String.init)
        guard words.count >= 6, words[0] == "CREATE" else { return "unsupported DDL" }
        let name = words[5]
        let isTable = words[1] == "TABLE"
        let keyspace = isTable ? String(name.split(separator: ".")[0]) : name
        let running = self.runningNodes
        let error = self.schema.withLockedValue { schema -> String? in
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
        for other in self.nodes.map(\.address) where other != address {
            let delay = self.schema.withLockedValue { $0.delays[other] } ?? .zero
            if delay == .zero {
                self.receiveSchema(name, on: other)
            } else {
                Task { [weak self] in
                    try? await Task.sleep(for: delay)
                    self?.receiveSchema(name, on: other)
                }
            }
        }
        return nil
    }

    /// A change made elsewhere reaches a node; a stopped node gets it when it starts again.
    private func receiveSchema(_ object: String, on address: String) {
        guard self.isRunning(address) else { return }
        self.schema.withLockedValue { _ = $0.objects[address, default: []].insert(object) }
    }

    /// The connections a node has open.
    func openConnections(_ address: String) -> Int { self.connections.withLockedValue { $0[address]?.count ?? 0 } }

    /// How many requests with `opcode` a node has received.
    func requestCount(_ opcode: CQLOpcode, on address: String) -> Int {
        self.requests.withLockedValue { $0[address]?[opcode] ?? 0 }
    }

    func received(_ opcode: CQLOpcode, on address: String) {
        self.requests.withLockedValue { $0[address, default: [:]][opcode, default: 0] += 1 }
    }

    /// Stops one node's listener (its open connections stay).
    func stopListening(_ address: String) async {
        let channel = self.channels.withLockedValue { $0.removeValue(forKey: address) }
        try? await channel?.close()
    }

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

    init(node: FakeCluster.Node, cluster: NIOLockedValueBox<FakeCluster?>) {
        self.node = node
        self.cluster = cluster
        self.connectionNumber = cluster.withLockedValue { $0 }?.nextConnectionNumber() ?? 0
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
                if let error = cluster.runDDL(query, on: self.node.address, connection: self.connectionNumber) {
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
                    + bytes(cluster.schemaVersion(of: other.address, seenBy: self.node.address))
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
