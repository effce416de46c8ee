import FakeCassandraSchema
import NIOConcurrencyHelpers
import NIOCore
import UsersContract

@testable import CQL
@testable import Stores

/// A fake Cassandra that understands exactly the statements `CassandraUserStore` sends: the handshake, discovery
/// queries, the schema DDL, the prepared INSERT (cells kept with last-write-wins by timestamp, unset cells not
/// written), the SELECTs (with skip_metadata answered by No_metadata rows, and paging), COUNT(*) and DELETE.
///
/// One node on 127.0.0.1 by default, or several on 127.0.0.x sharing one port (and one table of rows). Each node has
/// its own schema, as in Cassandra: DDL changes the node that runs it at once and reaches the others after their
/// `delays` (a stopped node gets it when it is started again); `CREATE TABLE` on a node without the keyspace fails
/// with "Keyspace ... doesn't exist"; `schema_version` follows each node's schema, and a stopped node keeps its old
/// version in the others' `system.peers`.
final class FakeCassandraNode: Sendable {
    struct Cell: Sendable {
        var bytes: [UInt8]?
        var timestamp: Int64
    }

    struct Log: Sendable {
        var ddl: [String] = []
        var insertValues: [[CQLValue]] = []
        var unsetCount = 0
        var nullCount = 0
        var pagesServed = 0
    }

    static let columns = UserRow.columns.map { ($0.name, $0.type.cql) }

    /// The nodes' addresses; the first is the contact point.
    let addresses: [String]
    /// The nodes' listeners and the connections they accepted.
    private let listeners: FakeNodeListeners
    let table = NIOLockedValueBox<[String: [String: Cell]]>([:])
    let log = NIOLockedValueBox(Log())
    /// Each node's schema (delays, lagging gossip and the DDL log are set and read through it).
    let schema: NodeSchemas

    private init(addresses: [String], listeners: FakeNodeListeners) {
        self.addresses = addresses
        self.listeners = listeners
        self.schema = NodeSchemas(nodes: addresses) { listeners.runningNodes }
    }

    /// Starts the nodes; the first picks a free port and the others bind the same one.
    static func start(addresses: [String] = ["127.0.0.1"]) async throws -> FakeCassandraNode {
        let holder = NIOLockedValueBox<FakeCassandraNode?>(nil)
        let listeners = try await FakeNodeListeners.start(addresses) { address, channel, number in
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
            try channel.pipeline.syncOperations.addHandler(
                FakeCassandraHandler(node: holder, address: address, connection: number))
        }
        let node = FakeCassandraNode(addresses: addresses, listeners: listeners)
        holder.withLockedValue { $0 = node }
        return node
    }

    /// The port every node listens on.
    var port: Int { self.listeners.port }

    func stop() async { await self.listeners.stop() }

    /// Stops one node as a crash does: its listener and every connection it accepted close.
    func stopNode(_ address: String) async { await self.listeners.stopNode(address) }

    func isRunning(_ address: String) -> Bool { self.listeners.isRunning(address) }

    var runningNodes: [String] { self.listeners.runningNodes }

    /// Whether a node has a keyspace (`ks`) or table (`ks.t`).
    func has(_ object: String, on address: String) -> Bool { self.schema.has(object, on: address) }

    static func type(_ name: String) -> CQLDataType {
        switch name {
        case "double": .double
        case "timestamp": .timestamp
        case "int": .int
        case "bigint": .bigint
        default: .varchar
        }
    }
}

/// The protocol side of the fake node.
final class FakeCassandraHandler: ChannelInboundHandler {
    typealias InboundIn = CQLFrame
    typealias OutboundOut = ByteBuffer

    let node: NIOLockedValueBox<FakeCassandraNode?>
    /// The node this connection reached.
    let address: String
    /// This connection's number (for the DDL log).
    let connection: Int

    init(node: NIOLockedValueBox<FakeCassandraNode?>, address: String, connection: Int) {
        self.node = node
        self.address = address
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        guard let node = self.node.withLockedValue({ $0 }) else { return }
        var body = frame.body
        var out = ByteBuffer()
        let opcode: CQLOpcode
        do {
            switch frame.header.opcode {
            case .startup, .register:
                opcode = .ready
            case .query:
                let query = try body.readCQLLongString()
                opcode = .result
                try self.query(query, values: Self.values(&body), node: node, into: &out)
            case .prepare:
                let query = try body.readCQLLongString()
                opcode = .result
                self.prepare(query, into: &out)
            case .execute:
                let id = String(decoding: try body.readCQLShortBytes(), as: UTF8.self)
                let parameters = try Self.readParameters(&body)
                opcode = .result
                try self.execute(id, parameters, node: node, into: &out)
            default:
                opcode = .error
                out.writeCQLInt(0x000A)
                out.writeCQLString("unsupported")
            }
        } catch {
            out.clear()
            out.writeCQLInt(0x2200)
            out.writeCQLString("fake node: \(error)")
            return self.send(.error, out, stream: frame.header.stream, context: context)
        }
        self.send(opcode, out, stream: frame.header.stream, context: context)
    }

    private func send(_ opcode: CQLOpcode, _ body: ByteBuffer, stream: Int16, context: ChannelHandlerContext) {
        var frame = ByteBuffer()
        CQLFrameEncoder().encode(
            CQLFrame(header: .init(version: 0x84, stream: stream, opcode: opcode), body: body), into: &frame
        )
        context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
    }

    struct Parameters {
        var values: [CQLValue?] = []  // nil = unset
        var raw: [ByteBuffer?] = []
        var skipMetadata = false
        var pageSize: Int32?
        var pagingState: [UInt8]?
    }

    static func readParameters(_ body: inout ByteBuffer) throws -> Parameters {
        var parameters = Parameters()
        _ = try body.readCQLShort()
        let flags = try body.readCQLByte()
        if flags & 0x01 != 0 {
            let count = try body.readCQLShort()
            for _ in 0..<count {
                let length = try body.readCQLInt()
                if length == -2 {
                    parameters.values.append(nil)
                    parameters.raw.append(nil)
                } else if length < 0 {
                    parameters.values.append(.null)
                    parameters.raw.append(nil)
                } else {
                    let slice = body.readSlice(length: Int(length))!
                    parameters.values.append(.blob(Array(slice.readableBytesView)))
                    parameters.raw.append(slice)
                }
            }
        }
        parameters.skipMetadata = flags & 0x02 != 0
        if flags & 0x04 != 0 { parameters.pageSize = try body.readCQLInt() }
        if flags & 0x08 != 0 { parameters.pagingState = try body.readCQLBytes().map { Array($0.readableBytesView) } }
        return parameters
    }

    // MARK: statements

    /// The values of a QUERY body after its query string, as text.
    static func values(_ body: inout ByteBuffer) -> [String] {
        guard (try? body.readCQLShort()) != nil, let flags = try? body.readCQLByte(), flags & 0x01 != 0,
            let count = try? body.readCQLShort()
        else { return [] }
        return (0..<count).map { _ in (try? body.readCQLBytes()).flatMap { $0.map { String(buffer: $0) } } ?? "" }
    }

    private func tokens(_ address: String, node: FakeCassandraNode) -> CQLValue {
        let index = node.addresses.firstIndex(of: address) ?? 0
        return .set([.text(String(Int64(index) * 3_000_000_000_000_000_000 - 3_000_000_000_000_000_000))])
    }

    private func query(
        _ query: String, values: [String], node: FakeCassandraNode, into out: inout ByteBuffer
    ) throws {
        if query.hasPrefix("CREATE") {
            node.log.withLockedValue { $0.ddl.append(query) }
            if let error = node.schema.run(query, on: self.address, connection: self.connection) {
                throw CQLDecodingError(error)
            }
            out.writeCQLInt(5)
            out.writeCQLString("CREATED")
            if query.hasPrefix("CREATE KEYSPACE") {
                out.writeCQLString("KEYSPACE")
                out.writeCQLString("user_data")
            } else {
                out.writeCQLString("TABLE")
                out.writeCQLString("user_data")
                out.writeCQLString("users")
            }
        } else if query.contains("FROM system.local") {
            self.rowsHeader(
                &out,
                specs: [
                    ("data_center", .varchar), ("rack", .varchar), ("tokens", .set(.varchar)),
                    ("schema_version", .uuid),
                ], rows: 1)
            out.writeCQLBytes(ByteBuffer(string: "dc1"))
            out.writeCQLBytes(ByteBuffer(string: "r1"))
            var set = ByteBuffer()
            self.tokens(self.address, node: node).encodeBody(into: &set)
            out.writeCQLBytes(set)
            out.writeCQLBytes(node.schema.version(of: self.address))
        } else if query.contains("FROM system.peers") {
            let peers = node.addresses.filter { $0 != self.address }
            self.rowsHeader(
                &out,
                specs: [
                    ("peer", .inet), ("rpc_address", .inet), ("data_center", .varchar), ("rack", .varchar),
                    ("tokens", .set(.varchar)), ("schema_version", .uuid),
                ], rows: peers.count)
            for peer in peers {
                let inet = CQLInet(peer)!.bytes
                out.writeCQLBytes(inet)
                out.writeCQLBytes(inet)
                out.writeCQLBytes(ByteBuffer(string: "dc1"))
                out.writeCQLBytes(ByteBuffer(string: "r1"))
                var set = ByteBuffer()
                self.tokens(peer, node: node).encodeBody(into: &set)
                out.writeCQLBytes(set)
                out.writeCQLBytes(node.schema.version(of: peer, seenBy: self.address))
            }
        } else if query.contains("system_schema.tables") {
            let found = values.count == 2 && node.has("\(values[0]).\(values[1])", on: self.address)
            self.rowsHeader(&out, specs: [("table_name", .varchar)], rows: found ? 1 : 0)
            if found { out.writeCQLBytes(ByteBuffer(string: values[1])) }
        } else if query.contains("system_schema.keyspaces") {
            self.rowsHeader(&out, specs: [("replication", .map(.varchar, .varchar))], rows: 1)
            var map = ByteBuffer()
            CQLValue.map([
                CQLMapEntry(key: .text("class"), value: .text("org.apache.cassandra.locator.SimpleStrategy")),
                CQLMapEntry(key: .text("replication_factor"), value: .text("1")),
            ]).encodeBody(into: &map)
            out.writeCQLBytes(map)
        } else if query.hasPrefix("SELECT COUNT(*)") {
            let count = node.table.withLockedValue { $0.count }
            self.rowsHeader(&out, specs: [("count", .bigint)], rows: 1)
            out.writeCQLBytes(ByteBuffer(integer: Int64(count)))
        } else {
            out.writeCQLInt(1)
        }
    }

    private static func statementID(_ query: String) -> String {
        if query.hasPrefix("INSERT") { return "ins" }
        if query.hasPrefix("DELETE") { return "del" }
        if query.hasPrefix("SELECT user_id FROM") { return "exists" }
        if query.contains("WHERE user_id = ?") { return "get" }
        return "all"
    }

    private func prepare(_ query: String, into out: inout ByteBuffer) {
        let id = Self.statementID(query)
        out.writeCQLInt(4)
        out.writeCQLShortBytes(Array(id.utf8))
        var binds: [(String, CQLDataType)] = []
        switch id {
        case "ins":
            binds = FakeCassandraNode.columns.map { ($0.0, FakeCassandraNode.type($0.1)) } + [("[timestamp]", .bigint)]
        case "all": binds = []
        default: binds = [("user_id", .varchar)]
        }
        out.writeCQLInt(1)
        out.writeCQLInt(Int32(binds.count))
        out.writeCQLInt(binds.isEmpty ? 0 : 1)
        if !binds.isEmpty { out.writeCQLShort(0) }
        out.writeCQLString("user_data")
        out.writeCQLString("users")
        for (name, type) in binds {
            out.writeCQLString(name)
            type.encode(into: &out)
        }
        let results = self.resultSpecs(id)
        if results.isEmpty {
            out.writeCQLInt(4)
            out.writeCQLInt(0)
        } else {
            out.writeCQLInt(1)
            out.writeCQLInt(Int32(results.count))
            out.writeCQLString("user_data")
            out.writeCQLString("users")
            for (name, type) in results {
                out.writeCQLString(name)
                type.encode(into: &out)
            }
        }
    }

    private func resultSpecs(_ id: String) -> [(String, CQLDataType)] {
        switch id {
        case "get", "all": FakeCassandraNode.columns.map { ($0.0, FakeCassandraNode.type($0.1)) }
        case "exists": [("user_id", .varchar)]
        default: []
        }
    }

    private func execute(
        _ id: String, _ parameters: Parameters, node: FakeCassandraNode, into out: inout ByteBuffer
    ) throws {
        switch id {
        case "ins":
            guard parameters.raw.count == 26, let tsBuffer = parameters.raw[25], let key = parameters.raw[0] else {
                throw CQLDecodingError("bad insert")
            }
            let timestamp = tsBuffer.getInteger(at: tsBuffer.readerIndex, as: Int64.self)!
            let userID = String(buffer: key)
            node.log.withLockedValue { log in
                log.insertValues.append(parameters.values.map { $0 ?? .unset })
                log.unsetCount += parameters.values.filter { $0 == nil }.count
                log.nullCount += parameters.values.filter { $0 == .null }.count
            }
            node.table.withLockedValue { table in
                var row = table[userID] ?? [:]
                for (index, column) in FakeCassandraNode.columns.enumerated() {
                    guard let value = parameters.values[index] else { continue }  // unset: not written
                    let bytes: [UInt8]? = value == .null ? nil : Array(parameters.raw[index]!.readableBytesView)
                    if let existing = row[column.0], existing.timestamp > timestamp { continue }
                    row[column.0] = FakeCassandraNode.Cell(bytes: bytes, timestamp: timestamp)
                }
                table[userID] = row
            }
            out.writeCQLInt(1)
        case "del":
            let key = String(buffer: parameters.raw[0]!)
            _ = node.table.withLockedValue { $0.removeValue(forKey: key) }
            out.writeCQLInt(1)
        case "get", "exists":
            let key = String(buffer: parameters.raw[0]!)
            let row = node.table.withLockedValue { $0[key] }
            let specs = self.resultSpecs(id)
            self.rowsHeader(&out, specs: specs, rows: row == nil ? 0 : 1, noMetadata: parameters.skipMetadata)
            if let row { self.writeRow(row, specs: specs, into: &out) }
        case "all":
            let keys = node.table.withLockedValue { $0.keys.sorted() }
            let start = parameters.pagingState.map { Int(String(decoding: $0, as: UTF8.self)) ?? 0 } ?? 0
            let size = Int(parameters.pageSize ?? Int32(keys.count))
            let end = min(keys.count, start + size)
            let specs = self.resultSpecs(id)
            let next: [UInt8]? = end < keys.count ? Array(String(end).utf8) : nil
            node.log.withLockedValue { $0.pagesServed += 1 }
            self.rowsHeader(
                &out, specs: specs, rows: end - start, noMetadata: parameters.skipMetadata, pagingState: next)
            for key in keys[start..<end] {
                let row = node.table.withLockedValue { $0[key] } ?? [:]
                self.writeRow(row, specs: specs, into: &out)
            }
        default:
            throw CQLDecodingError("unknown statement \(id)")
        }
    }

    private func writeRow(
        _ row: [String: FakeCassandraNode.Cell], specs: [(String, CQLDataType)], into out: inout ByteBuffer
    ) {
        for (name, _) in specs {
            if let bytes = row[name]?.bytes {
                out.writeCQLBytes(bytes)
            } else {
                out.writeCQLInt(-1)
            }
        }
    }

    private func rowsHeader(
        _ out: inout ByteBuffer,
        specs: [(String, CQLDataType)],
        rows: Int,
        noMetadata: Bool = false,
        pagingState: [UInt8]? = nil
    ) {
        out.writeCQLInt(2)
        var flags: Int32 = noMetadata ? 0x0004 : 0x0001
        if pagingState != nil { flags |= 0x0002 }
        out.writeCQLInt(flags)
        out.writeCQLInt(Int32(specs.count))
        if let pagingState { out.writeCQLBytes(pagingState) }
        if !noMetadata {
            out.writeCQLString("ks")
            out.writeCQLString("t")
            for (name, type) in specs {
                out.writeCQLString(name)
                type.encode(into: &out)
            }
        }
        out.writeCQLInt(Int32(rows))
    }
}
