import Foundation
import PatrolCrypto
import PatrolInventory
import PatrolLedger

/// A folder the registration platform exports CSV files into (docs/REGISTRATION.md). Each
/// file is read whole or not at all; once applied it moves into `applied/`, a bad one into
/// `rejected/` with a `.error.txt` beside it that says what was wrong, line by line.
public struct DropFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// A file waiting, read.
    public enum Pickup: Sendable {
        case reading(RegistrationReading)
        /// What is wrong with it, each problem as `NAME:line:field: reason`.
        case bad(name: String, sha256: String, problems: [String])
    }

    /// The CSV files waiting, oldest name first. Names starting with `.` and files still being
    /// written (`.part`, `.tmp`) are left for later.
    public func waiting() throws -> [URL] {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        return names.filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".csv") }.sorted().compactMap { name in
            let url = folder.appendingPathComponent(name)
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && !directory.boolValue ? url : nil
        }
    }

    /// Reads one file: UTF-8 (a byte order mark allowed) or else GB18030, and says which.
    public func read(_ url: URL, zone: TimeZone) throws -> Pickup {
        let data = try Data(contentsOf: url)
        let name = url.lastPathComponent
        let sha = Hex.sha256(data)
        let text: String, encoding: String
        do {
            (text, encoding) = (try CSV.decode(data), "utf-8")
        } catch {
            guard let decoded = Self.gb18030(data) else {
                return .bad(name: name, sha256: sha, problems: ["\(name):\(error.line): the file is neither UTF-8 nor GB18030 text"])
            }
            (text, encoding) = (decoded, "gb18030")
        }
        let (records, csvProblems) = CSV.parse(text)
        var problems = csvProblems.map { "\(name):\($0.line): \($0.reason)" }
        let decoded = PlatformAnswer.decode(records: records.map { ($0.line, $0.fields) }, zone: zone)
        problems += decoded.problems.map { "\(name):\($0)" }
        guard problems.isEmpty, let at = decoded.at else {
            return .bad(name: name, sha256: sha, problems: problems.isEmpty ? ["\(name): the file has no record"] : problems)
        }
        return .reading(RegistrationReading(at: at, source: .file(name: name, encoding: encoding, sha256: sha), samples: decoded.samples))
    }

    /// Moves a file out of the way once it has been dealt with: into `applied/`, or into
    /// `rejected/` with its problems beside it. A name already there gets a number.
    @discardableResult
    public func moveAside(_ url: URL, applied: Bool, problems: [String] = []) throws -> URL {
        let folder = URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent(applied ? "applied" : "rejected")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var target = folder.appendingPathComponent(url.lastPathComponent)
        var number = 1
        while FileManager.default.fileExists(atPath: target.path) {
            number += 1
            target = folder.appendingPathComponent("\(url.deletingPathExtension().lastPathComponent).\(number).\(url.pathExtension)")
        }
        try FileManager.default.moveItem(at: url, to: target)
        if !applied {
            let note = problems.joined(separator: "\n") + "\n"
            try Data(note.utf8).write(to: target.appendingPathExtension("error.txt"), options: .atomic)
        }
        return target
    }

    /// GB18030 (a superset of GBK and GB2312) to text; nil when it is not that either.
    static func gb18030(_ data: Data) -> String? {
        convert(data, from: "GB18030", to: "UTF-8").flatMap { String(validating: Array($0), as: UTF8.self) }
    }

    /// Bytes in one encoding to another, through iconv; nil when they are not valid in `from`.
    static func convert(_ data: Data, from: String, to: String) -> Data? {
        let converter = iconv_open(to, from)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = [CChar](repeating: 0, count: data.count)
        data.withUnsafeBytes { bytes in
            for (index, byte) in bytes.enumerated() { input[index] = CChar(bitPattern: byte) }
        }
        var output = [CChar](repeating: 0, count: data.count * 4 + 16)
        let converted: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer = inputBuffer.baseAddress
                var inLeft = inputBuffer.count
                var outPointer = outputBuffer.baseAddress
                var outLeft = outputBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return result == -1 || inLeft != 0 ? -1 : outputBuffer.count - outLeft
            }
        }
        guard converted >= 0 else { return nil }
        return Data(output.prefix(converted).map { UInt8(bitPattern: $0) })
    }
}
