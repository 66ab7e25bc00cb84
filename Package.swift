// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Patrol",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "patrol", targets: ["patrol"]),
        .executable(name: "patrold", targets: ["patrold"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The web console and /metrics (PatrolConsole); bcrypt for its accounts.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // This build's version, `public let patrolVersion`, written from `git describe` by the plugin
        // below before every build (scripts/version).
        .target(name: "PatrolVersion", plugins: ["PatrolVersionPlugin"]),
        .plugin(name: "PatrolVersionPlugin", capability: .buildTool()),
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
        // SHA-256, HMAC-SHA256 and Ed25519 from the system's libcrypto (OpenSSL 3).
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "PatrolCrypto", dependencies: ["CLibCrypto"]),
        // The configuration's values: plain settings of the probe, the schedule, the daily patrol,
        // the ladder, the mail and the store, and one value per tier. Depends on nothing.
        .target(name: "PatrolSettings"),
        // One stream, one deadline, one result.
        .target(name: "PatrolProbe", dependencies: ["PatrolAV", "PatrolSettings"]),
        // Venues and cameras: the domain types, CSV import with validation, export.
        .target(name: "PatrolInventory", dependencies: ["PatrolProbe", "PatrolSettings"]),
        // The engine: a lock-free pool of Dispatch worker threads and the scheduler feeding it.
        .target(
            name: "PatrolSweep",
            dependencies: [
                "PatrolProbe", "PatrolSettings",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // The rules: camera-day and venue-day verdicts, the escalation ladder, the hash-chained
        // ledger. Pure: no clock, no I/O.
        .target(
            name: "PatrolLedger",
            dependencies: ["PatrolProbe", "PatrolInventory", "PatrolSettings", "PatrolCrypto"]
        ),
        // The duty desk's alert rules: fed changes and the time, the alerts to open, resolve and
        // remind (debounce, storms, quiet hours); the webhook's JSON body and signature. Pure.
        .target(
            name: "PatrolAlerts",
            dependencies: ["PatrolProbe", "PatrolSettings", "PatrolCrypto"]
        ),
        // SQLite through GRDB: inventory, camera state, probe history, roll-ups, metadata index.
        .target(
            name: "PatrolStore",
            dependencies: [
                "PatrolProbe", "PatrolInventory", "PatrolLedger", "PatrolRegistration", "PatrolSettings", "PatrolAlerts",
                "PatrolCrypto", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Made-up but realistic pasts as plain values (probe history, patrol days, a report day with
        // every section filled), for the tests and patrol-bench; the store writes them. Never linked
        // into patrol or patrold.
        .target(
            name: "PatrolFixtures",
            dependencies: ["PatrolProbe", "PatrolInventory", "PatrolLedger", "PatrolStore", "PatrolReport", "PatrolSettings"]
        ),
        // The daily compliance report: read from the store, rendered as text, HTML and CSV.
        .target(
            name: "PatrolReport",
            dependencies: ["PatrolInventory", "PatrolLedger", "PatrolStore", "PatrolMail", "PatrolSettings", "PatrolAlerts"]
        ),
        // The registration platform read: its status endpoint over HTTP(S) and the CSV files it
        // exports into a drop folder, decoded field by field into samples.
        .target(
            name: "PatrolRegistration",
            dependencies: ["PatrolInventory", "PatrolLedger", "PatrolProbe", "PatrolSettings", "PatrolCrypto"]
        ),
        // What the reading commands report, as values and as JSON: made once for `patrol --json`
        // and the console's API, so that both say the same.
        .target(
            name: "PatrolViews",
            dependencies: ["PatrolProbe", "PatrolInventory", "PatrolLedger", "PatrolStore", "PatrolSettings"]
        ),
        // The duty desk's web console (Hummingbird): pages, the JSON API, logins, /metrics.
        .target(
            name: "PatrolConsole",
            dependencies: [
                "PatrolViews", "PatrolStore", "PatrolReport", "PatrolLedger", "PatrolInventory", "PatrolProbe", "PatrolSettings", "PatrolOutput",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The configuration file (YAML) read into the settings, with errors that name the key and the line.
        .target(name: "PatrolConfig", dependencies: ["PatrolSettings", .product(name: "Yams", package: "Yams")]),
        // The daily report's mail: MIME messages in UTF-8, rendered into the store's outbox, sendmail.
        .target(name: "PatrolMail", dependencies: ["PatrolStore", "PatrolLedger", "PatrolSettings"]),
        // Standard output and error through write(2): log lines that never trap, output whose
        // failure is reported; control characters made visible for the terminal.
        .target(name: "PatrolOutput"),
        .executableTarget(
            name: "patrol",
            dependencies: [
                "PatrolOutput", "PatrolProbe", "PatrolInventory", "PatrolStore", "PatrolLedger", "PatrolReport", "PatrolMail", "PatrolConfig",
                "PatrolSettings", "PatrolAlerts", "PatrolVersion", "PatrolViews", "PatrolCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // The daemon as a group of services (swift-service-lifecycle): the sweeper, the store
        // writer, the daily patrol, the mail, the status line and notifications to systemd, the
        // watchdog, pruning; and its one-shot modes (--once, --patrol).
        .target(
            name: "PatrolDaemon",
            dependencies: [
                "PatrolOutput", "PatrolProbe", "PatrolInventory", "PatrolSweep", "PatrolStore", "PatrolLedger", "PatrolReport", "PatrolMail",
                "PatrolRegistration", "PatrolConfig", "PatrolSettings", "PatrolAlerts", "PatrolVersion", "PatrolConsole", "PatrolViews",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        .executableTarget(
            name: "patrold",
            dependencies: [
                "PatrolDaemon", "PatrolOutput", "PatrolProbe", "PatrolStore", "PatrolSettings", "PatrolVersion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The measuring tool: the probe's cost, databases filled with a synthetic past, and a crafted
        // day's report to look at. Built beside patrol and patrold for the benchmark scripts; not a
        // product, never installed.
        .executableTarget(
            name: "patrol-bench",
            dependencies: [
                "PatrolOutput", "PatrolProbe", "PatrolInventory", "PatrolLedger", "PatrolStore", "PatrolReport", "PatrolConfig",
                "PatrolFixtures", "PatrolSettings", "PatrolRegistration", "PatrolAlerts", "PatrolVersion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The man pages of patrol and patrold, in English and Chinese, written from each tool's own
        // description of its command tree (scripts/man). Depends on nothing; never installed.
        .executableTarget(name: "patrol-manual", dependencies: ["PatrolOutput"]),
        // What the test targets share: helper programs started and synchronised on (the sample
        // fleet, the SMTP receiver and msmtp's home), the built binaries run as subprocesses, the
        // socket systemd would listen on, and the test districts' venues, cameras, stores and probes.
        .target(
            name: "PatrolTestSupport", dependencies: ["PatrolProbe", "PatrolInventory", "PatrolLedger", "PatrolStore", "PatrolMail", "PatrolSettings"],
            path: "Tests/PatrolTestSupport",
            exclude: ["Tools"]
        ),
        .testTarget(name: "PatrolCryptoTests", dependencies: ["PatrolCrypto"]),
        .testTarget(name: "PatrolProbeTests", dependencies: ["PatrolProbe", "PatrolSettings", "PatrolAV"]),
        .testTarget(name: "PatrolInventoryTests", dependencies: ["PatrolInventory", "PatrolProbe"]),
        .testTarget(
            name: "PatrolSweepTests",
            dependencies: ["PatrolSweep", "PatrolSettings", .product(name: "Atomics", package: "swift-atomics")]
        ),
        // The registration platform's answers and exports decoded: no server, no store.
        .testTarget(name: "PatrolRegistrationTests", dependencies: ["PatrolRegistration", "PatrolLedger"]),
        // The alert rules as tables on a virtual clock: debounce, storms, quiet hours, reminders.
        .testTarget(name: "PatrolAlertsTests", dependencies: ["PatrolAlerts", "PatrolSettings"]),
        .testTarget(name: "PatrolLedgerTests", dependencies: ["PatrolLedger", "PatrolInventory", "PatrolProbe", "PatrolSettings"]),
        .testTarget(
            name: "PatrolStoreTests",
            dependencies: ["PatrolStore", "PatrolLedger", "PatrolRegistration", "PatrolSettings", "PatrolFixtures", "PatrolTestSupport"]
        ),
        // The cadence type's conversions, and each tier's value found by its name.
        .testTarget(name: "PatrolSettingsTests", dependencies: ["PatrolSettings", "PatrolInventory"]),
        .testTarget(name: "PatrolConfigTests", dependencies: ["PatrolConfig", "PatrolSettings"]),
        .testTarget(
            name: "PatrolMailTests",
            dependencies: [
                "PatrolMail", "PatrolReport", "PatrolStore", "PatrolLedger", "PatrolInventory", "PatrolProbe", "PatrolSettings",
                "PatrolRegistration", "PatrolTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Tools"]
        ),
        // The command line's own parts: display width, tables, time arguments, the languages' catalogues.
        .testTarget(
            name: "PatrolCLITests",
            dependencies: ["patrol", "PatrolReport", "PatrolLedger", "PatrolInventory", "PatrolProbe", "PatrolStore", "PatrolViews", "PatrolTestSupport"]
        ),
        .testTarget(
            name: "PatrolReportTests",
            dependencies: [
                "PatrolReport", "PatrolLedger", "PatrolInventory", "PatrolStore", "PatrolMail", "PatrolFixtures", "PatrolSettings",
                "PatrolTestSupport",
            ]
        ),
        // Each of patrold's services started alone, in process, on real parts.
        .testTarget(
            name: "PatroldTests",
            dependencies: [
                "PatrolDaemon", "PatrolConfig", "PatrolStore", "PatrolSweep", "PatrolMail", "PatrolReport", "PatrolLedger",
                "PatrolInventory", "PatrolProbe", "PatrolRegistration", "PatrolSettings", "PatrolAlerts", "PatrolTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The operator's command line and the database, through the real binaries: no camera.
        .testTarget(
            name: "PatrolCommandTests",
            dependencies: [
                "PatrolInventory", "PatrolStore", "PatrolLedger", "PatrolProbe", "PatrolReport", "PatrolFixtures", "PatrolSettings",
                "PatrolRegistration", "PatrolAlerts", "PatrolTestSupport", "PatrolVersion",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The web console in process on a real store: its API beside the real `patrol --json`, its
        // logins, /metrics through Prometheus' own parser, its pages in headless Chromium.
        .testTarget(
            name: "PatrolConsoleTests",
            dependencies: [
                "PatrolConsole", "PatrolViews", "PatrolStore", "PatrolLedger", "PatrolInventory", "PatrolProbe", "PatrolSettings",
                "PatrolConfig", "PatrolDaemon", "PatrolTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"), .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Tools"]
        ),
        // The real probe, the sweep, the daemon and the reading commands against the sample camera fleet.
        .testTarget(
            name: "FleetTests",
            dependencies: [
                "PatrolProbe", "PatrolInventory", "PatrolSweep", "PatrolStore", "PatrolLedger", "PatrolReport", "PatrolSettings",
                "PatrolFixtures", "patrol", "PatrolTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Tools"]
        ),
    ]
)
