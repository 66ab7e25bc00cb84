public enum PatrolVersion {
    public static let current = "0.1.0"
}
