// swift-tools-version: 6.1
import PackageDescription

/// Hot numeric code is built without overflow and precondition checks in release builds.
let optimizedSwift: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "strata", targets: ["StrataCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // GGUF container format: mmap reader, metadata, tensor infos, validation.
        .target(name: "StrataGGUF"),
        // Native quantized block layouts, dequantization and dot products (scalar reference + SIMD).
        .target(
            name: "CStrataKernels",
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]
        ),
        // Swift face of the kernels: typed weight matrices, matrix products, persistent thread pool.
        .target(
            name: "StrataKernels",
            dependencies: ["CStrataKernels", "StrataGGUF"],
            swiftSettings: optimizedSwift
        ),
        // Tokenizers built from GGUF metadata (SentencePiece now, BPE next).
        .target(name: "StrataTokenizer", dependencies: ["StrataGGUF"]),
        // Model architectures: one file per architecture, forward over a layer range.
        .target(
            name: "StrataModels",
            dependencies: ["StrataGGUF", "StrataKernels", "CStrataKernels"],
            swiftSettings: optimizedSwift
        ),
        // Continuous-batching scheduler, paged KV block manager and prefix cache: pure logic, no I/O.
        .target(name: "StrataScheduling"),
        // Sampling, generation, and the continuous-batching engine that runs the scheduler's steps.
        .target(
            name: "StrataEngine",
            dependencies: [
                "StrataModels", "StrataTokenizer", "StrataScheduling",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: optimizedSwift
        ),
        // Chat templates: a Jinja-subset interpreter turning chat messages into a prompt.
        .target(name: "StrataChat"),
        // The OpenAI-compatible HTTP server: wire types, validation, routes, SSE, metrics.
        .target(
            name: "StrataServer",
            dependencies: [
                "StrataEngine", "StrataModels", "StrataTokenizer", "StrataChat", "StrataGGUF", "StrataCatalog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Model catalog: versions by digest in SQLite (GRDB, WAL), aliases, pins, audit, blob store.
        .target(
            name: "StrataCatalog",
            dependencies: [
                "StrataGGUF",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The cluster: binary step wire format, HTTP/2 worker (one pipeline stage) and the coordinator's
        // PipelineExecutor that relays each step through the stages.
        .target(
            name: "StrataCluster",
            dependencies: [
                "StrataModels", "StrataEngine", "StrataGGUF",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Load generator for OpenAI-compatible servers: workloads, arrivals, streaming client, metrics, reports.
        .target(
            name: "StrataBench",
            dependencies: [
                "StrataEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        // The `strata` command.
        .executableTarget(
            name: "StrataCLI",
            dependencies: [
                "StrataGGUF", "StrataKernels", "StrataTokenizer", "StrataModels", "StrataEngine", "StrataChat", "StrataCatalog", "StrataBench",
                "StrataServer", "StrataCluster",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Locating fixtures and the default model, shared by the test targets.
        .target(name: "StrataTestSupport", path: "Tests/StrataTestSupport"),
        .testTarget(name: "StrataGGUFTests", dependencies: ["StrataGGUF", "StrataTestSupport"]),
        .testTarget(name: "StrataKernelsTests", dependencies: ["StrataKernels", "CStrataKernels", "StrataGGUF", "StrataTestSupport"]),
        .testTarget(name: "StrataTokenizerTests", dependencies: ["StrataTokenizer", "StrataGGUF", "StrataTestSupport"]),
        .testTarget(
            name: "StrataModelsTests",
            dependencies: ["StrataModels", "StrataGGUF", "StrataKernels", "StrataEngine", "StrataTokenizer", "StrataTestSupport"]
        ),
        .testTarget(
            name: "StrataEngineTests",
            dependencies: [
                "StrataEngine", "StrataModels", "StrataTokenizer", "StrataGGUF", "StrataScheduling", "StrataTestSupport",
            ]
        ),
        .testTarget(
            name: "StrataClusterTests",
            dependencies: [
                "StrataCluster", "StrataEngine", "StrataModels", "StrataTokenizer", "StrataGGUF", "StrataScheduling",
                "StrataTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "StrataSchedulingTests", dependencies: ["StrataScheduling", "StrataTestSupport"]),
        .testTarget(name: "StrataChatTests", dependencies: ["StrataChat", "StrataTestSupport"]),
        .testTarget(
            name: "StrataServerTests",
            dependencies: [
                "StrataServer", "StrataEngine", "StrataModels", "StrataTokenizer", "StrataGGUF", "StrataCatalog",
                "StrataTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StrataCatalogTests",
            dependencies: ["StrataCatalog", "StrataGGUF", "StrataTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "StrataBenchTests",
            dependencies: [
                "StrataBench", "StrataEngine", "StrataTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        // Drives the built `strata` binary, as a user would.
        .testTarget(
            name: "StrataCLITests",
            dependencies: [
                "StrataTestSupport", "StrataCatalog", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
