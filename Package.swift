// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Patrol",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "patrol", targets: ["patrol"]),
        .executable(name: "patrold", targets: ["patrold"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The system FFmpeg libraries, found through pkg-config.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]
        ),
        // The only code that calls FFmpeg: a small C shim with a deadline-bound API.
        .target(
            name: "PatrolAV",
            dependencies: ["CFFmpeg"],
            linkerSettings: ["avformat", "avcodec", "swscale", "avutil"].map { .linkedLibrary($0) }
        ),
        // One stream, one deadline, one result.
        .target(name: "PatrolProbe", dependencies: ["PatrolAV"]),
        // Venues and cameras: the domain types, CSV import with validation, export.
        .target(name: "PatrolInventory", dependencies: ["PatrolProbe"]),
        .executableTarget(
            name: "patrol",
            dependencies: [
                "PatrolProbe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "patrold",
            dependencies: [
                "PatrolProbe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PatrolProbeTests", dependencies: ["PatrolProbe"]),
        .testTarget(name: "PatrolInventoryTests", dependencies: ["PatrolInventory", "PatrolProbe"]),
        .testTarget(name: "FleetTests", dependencies: ["PatrolProbe"]),
    ]
)
