import Foundation

/// A small file system of its own, a real tmpfs, that can be filled to the last byte or made
/// read-only. Mounting one needs root, which CI has (it installs packages); elsewhere the tests
/// that need one are disabled.
public struct SmallDisk: Sendable {
    public let folder: URL
    private var filler: URL { folder.appendingPathComponent("filler") }

    public static let available: Bool = (try? SmallDisk.with { _ in true }) ?? false

    /// Mounts a fresh 8 MB tmpfs for `body`, and unmounts it after.
    public static func with<T>(_ body: (SmallDisk) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try run("/bin/mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder.path)
        defer { try? run("/bin/umount", "-l", folder.path) }
        return try body(SmallDisk(folder: folder))
    }

    private static func run(_ tool: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
    }

    /// Takes every free byte. Empty a database's write-ahead log first (a checkpoint), so that
    /// its next transaction needs bytes the disk no longer has.
    public func fill() throws {
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let chunk = Data(repeating: 0x55, count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
    }

    public func free() throws {
        try FileManager.default.removeItem(at: filler)
    }

    /// Remounts the file system read-only: what no permission bit can do to root.
    public func makeReadOnly() throws {
        try Self.run("/bin/mount", "-o", "remount,ro", folder.path)
    }
}
