// swift-tools-version:6.1
import PackageDescription

// The folders show the flow: Source → Broker → Contract → Store, the Pipeline that assembles them from one
// configuration, and the `userstream` Command. Bench, Platform (the allocator) and Testing (a fake API server for
// tests and benchmarks) sit beside it.

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "UserStream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "userstream", targets: ["userstream"]),
        .library(name: "CQL", targets: ["CQL"]),
        .library(name: "Kafka", targets: ["Kafka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter's packages are not built.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // MARK: Source: where users come from.

        // The RandomUser API model, its HTTP source and an offline generator of the same shape.
        .target(
            name: "RandomUser",
            dependencies: [
                "StreamJSON", "Backoff",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Source/RandomUser",
            swiftSettings: swiftSettings
        ),

        // MARK: Broker: Kafka through librdkafka.

        // librdkafka (Debian's librdkafka-dev) through pkg-config. Only Kafka/RDKafka imports it.
        .systemLibrary(
            name: "CRdKafka",
            path: "Sources/Broker/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Broker/Kafka",
            swiftSettings: swiftSettings
        ),

        // MARK: Contract: bytes in, row or dead letter out.

        // A validating, zero-copy JSON reader and writer for the hot path.
        .target(name: "StreamJSON", path: "Sources/Contract/StreamJSON", swiftSettings: swiftSettings),
        // The users contract as pure functions: the message envelope, the transform, rows, dead letters. No I/O.
        .target(
            name: "UsersContract",
            dependencies: ["StreamJSON"],
            path: "Sources/Contract/UsersContract",
            swiftSettings: swiftSettings
        ),
        // The contract's batch form over files (`userstream transform`), on every core.
        .target(
            name: "BatchTransform",
            dependencies: ["UsersContract"],
            path: "Sources/Contract/BatchTransform",
            swiftSettings: swiftSettings
        ),

        // MARK: Store: where rows end.

        // A pure-Swift Cassandra native protocol v4 client on SwiftNIO.
        .target(
            name: "CQL",
            dependencies: [
                "Backoff",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Store/CQL",
            swiftSettings: swiftSettings
        ),
        // Sinks behind one protocol: SQLite (embedded default) and Cassandra.
        .target(
            name: "Stores",
            dependencies: [
                "UsersContract",
                "CQL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Store/Stores",
            swiftSettings: swiftSettings
        ),

        // MARK: Pipeline: one configuration, one service group.

        // The typed configuration, the builder that turns it into a ServiceGroup, and the services: ingester,
        // processor, progress.
        .target(
            name: "Pipeline",
            dependencies: [
                "Kafka", "StreamJSON", "UsersContract", "Stores", "CQL", "RandomUser", "Allocator", "Backoff", "Cron",
                "Serving",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Pipeline",
            swiftSettings: swiftSettings
        ),

        // The HTTP face of a running pipeline (Hummingbird): health and readiness, Prometheus metrics, the read-only
        // JSON API and the dashboard page. It knows the pipeline only through `ServingBackend`.
        .target(
            name: "Serving",
            dependencies: [
                "UsersContract", "StreamJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/Serving",
            swiftSettings: swiftSettings
        ),

        // MARK: Command.

        .executableTarget(
            name: "userstream",
            dependencies: [
                "Pipeline", "Bench", "BatchTransform", "Kafka", "UsersContract", "StreamJSON", "Stores",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Command",
            swiftSettings: swiftSettings
        ),

        // MARK: Beside the flow.

        // The benchmarks behind `userstream bench`.
        .target(
            name: "Bench",
            dependencies: ["Pipeline", "Kafka", "UsersContract", "Stores", "CQL", "RandomUser", "Allocator"],
            path: "Sources/Bench",
            swiftSettings: swiftSettings
        ),
        // jemalloc (Debian's libjemalloc-dev), the allocator the binaries run on, and the options compiled in.
        .systemLibrary(
            name: "CJemalloc",
            path: "Sources/Platform/CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .target(name: "MallocConfiguration", path: "Sources/Platform/MallocConfiguration"),
        // Capped exponential backoff with jitter: the one retry policy of the HTTP source, the CQL client and stores.
        .target(name: "Backoff", path: "Sources/Platform/Backoff", swiftSettings: swiftSettings),
        // Cron expressions and schedule arithmetic (intervals, time zones, daylight saving): pure, Foundation only.
        .target(name: "Cron", dependencies: ["StreamJSON"], path: "Sources/Platform/Cron", swiftSettings: swiftSettings),
        .target(
            name: "Allocator",
            dependencies: ["CJemalloc", "MallocConfiguration"],
            path: "Sources/Platform/Allocator",
            swiftSettings: swiftSettings
        ),
        // A local HTTP server that speaks the RandomUser API, with its failure modes (tests only).
        .target(
            name: "RandomUserTesting",
            dependencies: [
                "RandomUser",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Testing/RandomUserTesting",
            swiftSettings: swiftSettings
        ),

        // The tests' one wait on a condition with a deadline (tests only).
        .target(name: "TestWaiting", path: "Sources/Testing/TestWaiting", swiftSettings: swiftSettings),
        // A log recorder for tests that check what was logged.
        .target(
            name: "TestLogging",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Testing/TestLogging", swiftSettings: swiftSettings),
        // What the fake Cassandra nodes of the CQL and store tests share: the per-node schema model and the nodes'
        // listeners on one port (tests only).
        .target(
            name: "FakeCassandraSchema",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Testing/FakeCassandraSchema", swiftSettings: swiftSettings),

        // MARK: Tests, one target per module.

        .testTarget(name: "AllocatorTests", dependencies: ["Allocator"], swiftSettings: swiftSettings),
        .testTarget(name: "BackoffTests", dependencies: ["Backoff"], swiftSettings: swiftSettings),
        .testTarget(name: "CronTests", dependencies: ["Cron"], swiftSettings: swiftSettings),
        .testTarget(name: "StreamJSONTests", dependencies: ["StreamJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "UsersContractTests", dependencies: ["UsersContract", "StreamJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "BatchTransformTests", dependencies: ["BatchTransform", "UsersContract"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CQLTests",
            dependencies: [
                "CQL", "TestWaiting", "TestLogging", "FakeCassandraSchema",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "Kafka", "TestWaiting", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RandomUserTests",
            dependencies: ["RandomUser", "RandomUserTesting", "StreamJSON", "TestWaiting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoresTests",
            dependencies: [
                "Stores", "UsersContract", "CQL", "Bench", "TestLogging", "FakeCassandraSchema",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Cron", "Kafka", "Stores", "UsersContract", "RandomUser", "RandomUserTesting", "StreamJSON", "TestWaiting",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Serving", "Pipeline", "Stores", "UsersContract", "Kafka", "TestWaiting",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Pipeline", "BatchTransform", "UsersContract"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
