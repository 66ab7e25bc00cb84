/// A configuration problem, naming the file, the line and the key.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var key: String?
    public var reason: String

    public var description: String {
        let place = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return key.map { "\(place): \($0): \(reason)" } ?? "\(place): \(reason)"
    }
}
