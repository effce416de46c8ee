import TestLogging
import TestWaiting
import Logging
import Testing

@testable import CQL

@Suite("Client through an outage of every node", .serialized)
struct ClientOutageTests {
    static let address = "127.0.0.1"
    static let node = FakeCluster.Node(address: address, dataCenter: "dc1", tokens: [0])
    static let ping = "SELECT data_center FROM system.local"

    /// A client of the one-node cluster, reconnecting after 20 ms doubling up to 200 ms, connected and checked.
    static func connectedClient(
        _ cluster: FakeCluster,
        logger: Logger = Logger(label: "test"),
        credentials: CQLCredentials? = nil
    ) async throws -> CQLClient {
        var configuration = CQLClient.Configuration(contactPoints: ["\(address):\(cluster.port)"], port: cluster.port)
        configuration.reconnectBaseDelay = .milliseconds(20)
        configuration.reconnectMaximumDelay = .milliseconds(200)
        configuration.connection.requestTimeout = .seconds(60)
        configuration.connection.connectTimeout = .seconds(60)
        configuration.credentials = credentials
        let client = try CQLClient(configuration: configuration, logger: logger)
        try await client.connect()
        _ = try await client.query(Self.ping)
        return client
    }

    /// Runs `ping` and returns how long it took to fail, or nil when it succeeded.
    static func failure(of client: CQLClient) async -> (error: any Error, took: Duration)? {
        let start = ContinuousClock.now
        do {
            _ = try await client.query(Self.ping)
            return nil
        } catch {
            return (error, .now - start)
        }
    }

    static func hostState(_ client: CQLClient, _ cluster: FakeCluster) -> CQLHostState? {
        client.state.withLockedValue { $0.hosts["\(address):\(cluster.port)"]?.health }
    }

    @Test("a single node that restarts: requests fail fast while it is down, then the same client works again")
    func singleNodeRestart() async throws {
        let cluster = try await FakeCluster.start([Self.node])
        let client = try await Self.connectedClient(cluster)
        #expect(await eventually { cluster.requestCount(.register, on: Self.address) == 1 })

        await cluster.stopNode(Self.address)
        let first = try #require(await Self.failure(of: client))
        // Far under the 60 s request and connect timeouts: the closed connection fails the request.
        #expect(first.took < .seconds(30))
        #expect(CQLError.isTransient(first.error), "\(first.error)")
        // Once the node is known to be down, requests fail at once with a clear, transient noHostAvailable.
        #expect(await eventually { Self.hostState(client, cluster)?.isDown == true })
        let down = try #require(await Self.failure(of: client))
        #expect(down.took < .seconds(30))
        let error = try #require(down.error as? CQLError)
        #expect(error.code == .noHostAvailable)
        #expect(error.isTransient)
        #expect(error.causes.map(\.host) == ["\(Self.address):\(cluster.port)"])
        #expect("\(error)".contains("every host is down"), "\(error)")

        // Back on the same port: with no request at all, the client reconnects and registers for events again.
        let startups = cluster.requestCount(.startup, on: Self.address)
        try await cluster.restartNode(Self.address)
        #expect(
            await eventually {
                cluster.requestCount(.startup, on: Self.address) > startups
                    && cluster.requestCount(.register, on: Self.address) == 2
            })
        #expect(await eventually { (try? await client.query(Self.ping)) != nil })
        #expect(Self.hostState(client, cluster)?.isDown == false)
        await client.close()
        await cluster.stop()
    }

    @Test("a node that stays down is logged once as down and once as up, whatever the requests and attempts")
    func oneLinePerStateChange() async throws {
        let cluster = try await FakeCluster.start([Self.node])
        let recorder = LogRecorder()
        let client = try await Self.connectedClient(cluster, logger: recorder.logger())

        await cluster.stopNode(Self.address)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { _ = try? await client.query(Self.ping) } }
        }
        // Several reconnection attempts fail in the background while requests keep failing.
        #expect(
            await eventually {
                _ = try? await client.query(Self.ping)
                return (Self.hostState(client, cluster)?.failures ?? 0) >= 5
            })
        #expect(recorder.count(.warning) == 1, "\(recorder.lines.filter { $0.level == .warning })")
        #expect(recorder.count(.warning, containing: "host down") == 1)

        try await cluster.restartNode(Self.address)
        #expect(await eventually { recorder.count(.info, containing: "host up") == 1 })
        _ = try await client.query(Self.ping)
        #expect(recorder.count(.info, containing: "host up") == 1)
        #expect(recorder.count(.warning) == 1)
        await client.close()
        await cluster.stop()
    }

    @Test("a node that refuses the credentials when it is back makes noHostAvailable not transient")
    func refusedCredentialsAfterRestart() async throws {
        let cluster = try await FakeCluster.start([Self.node])
        let token: [UInt8] = [0] + Array("app".utf8) + [0] + Array("right".utf8)
        cluster.requiredToken.withLockedValue { $0 = token }
        let client = try await Self.connectedClient(
            cluster, credentials: CQLCredentials(username: "app", password: "right"))

        await cluster.stopNode(Self.address)
        let outage = try #require(await Self.failure(of: client))
        #expect(CQLError.isTransient(outage.error), "\(outage.error)")
        cluster.requiredToken.withLockedValue { $0 = [0] + Array("app".utf8) + [0] + Array("rotated".utf8) }
        try await cluster.restartNode(Self.address)
        #expect(await eventually { cluster.requestCount(.authResponse, on: Self.address) >= 2 })
        var refused: CQLError?
        #expect(
            await eventually {
                refused = await Self.failure(of: client)?.error as? CQLError
                return refused?.code == .noHostAvailable && refused?.isTransient == false
            })
        let cause = try #require(refused?.causes.first?.error as? CQLServerError)
        #expect(cause.code == .authenticationError)
        #expect("\(try #require(refused))".contains("Authentication_error"))
        await client.close()
        await cluster.stop()
    }
}
