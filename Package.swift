// swift-tools-version:6.1
import PackageDescription

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
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // librdkafka (Debian's librdkafka-dev) through pkg-config. Only Kafka/RDKafka imports it.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // jemalloc (Debian's libjemalloc-dev), the allocator the binaries run on, and the options compiled in.
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .target(name: "MallocConfiguration"),
        .target(name: "Allocator", dependencies: ["CJemalloc", "MallocConfiguration"], swiftSettings: swiftSettings),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // A validating, zero-copy JSON reader for the hot path.
        .target(name: "StreamJSON", swiftSettings: swiftSettings),
        // The users contract as pure functions: bytes in, row or reject out. No I/O.
        .target(name: "UsersPipeline", dependencies: ["StreamJSON"], swiftSettings: swiftSettings),
        // A pure-Swift Cassandra native protocol v4 client on SwiftNIO.
        .target(
            name: "CQL",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The RandomUser API model, its HTTP source and an offline generator of the same shape.
        .target(
            name: "RandomUser",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A local HTTP server that speaks the RandomUser API, with its failure modes (tests, demos).
        .target(
            name: "RandomUserTesting",
            dependencies: [
                "RandomUser",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Sinks behind one protocol: SQLite (embedded default) and Cassandra.
        .target(
            name: "UserStore",
            dependencies: [
                "UsersPipeline",
                "CQL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Ingester, stream processor, embedded broker and configuration, as Services.
        .target(
            name: "UserStreamRuntime",
            dependencies: [
                "Kafka", "UsersPipeline", "UserStore", "RandomUser", "StreamJSON", "Allocator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "userstream",
            dependencies: [
                "UserStreamRuntime", "Kafka", "UsersPipeline", "StreamJSON", "UserStore", "RandomUser", "RandomUserTesting", "CQL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AllocatorTests", dependencies: ["Allocator"], swiftSettings: swiftSettings),
        .testTarget(name: "StreamJSONTests", dependencies: ["StreamJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "UsersPipelineTests", dependencies: ["UsersPipeline", "StreamJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CQLTests",
            dependencies: [
                "CQL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: ["Kafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RandomUserTests",
            dependencies: [
                "RandomUser", "RandomUserTesting", "StreamJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "UserStoreTests",
            dependencies: [
                "UserStore", "UsersPipeline", "CQL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "UserStreamRuntimeTests",
            dependencies: [
                "UserStreamRuntime", "Kafka", "UserStore", "UsersPipeline", "RandomUser", "RandomUserTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
