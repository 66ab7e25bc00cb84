import Atomics

/// A bounded multi-producer multi-consumer queue without locks (Dmitry Vyukov's design):
/// each cell carries a sequence number that tells producers and consumers, with one
/// compare-and-swap on a shared position, whether the cell is theirs to fill or to empty.
public final class LockFreeQueue<Element>: @unchecked Sendable {
    private let mask: Int
    private let sequences: [ManagedAtomic<Int>]
    private let cells: UnsafeMutablePointer<Element?>
    private let enqueuePosition = ManagedAtomic<Int>(0)
    private let dequeuePosition = ManagedAtomic<Int>(0)

    /// - Parameter capacity: rounded up to a power of two.
    public init(capacity: Int) {
        var size = 2
        while size < capacity { size <<= 1 }
        mask = size - 1
        sequences = (0..<size).map { ManagedAtomic($0) }
        cells = .allocate(capacity: size)
        cells.initialize(repeating: nil, count: size)
    }

    deinit {
        cells.deinitialize(count: mask + 1)
        cells.deallocate()
    }

    public var capacity: Int { mask + 1 }

    /// Adds `element`; false when the queue is full.
    @discardableResult
    public func enqueue(_ element: Element) -> Bool {
        var position = enqueuePosition.load(ordering: .relaxed)
        while true {
            let cell = position & mask
            let sequence = sequences[cell].load(ordering: .acquiring)
            let lead = sequence - position
            if lead == 0 {
                let (won, current) = enqueuePosition.compareExchange(
                    expected: position, desired: position + 1, ordering: .relaxed)
                if won {
                    cells[cell] = element
                    sequences[cell].store(position + 1, ordering: .releasing)
                    return true
                }
                position = current
            } else if lead < 0 {
                return false
            } else {
                position = enqueuePosition.load(ordering: .relaxed)
            }
        }
    }

    /// Takes the oldest element; nil when the queue is empty.
    public func dequeue() -> Element? {
        var position = dequeuePosition.load(ordering: .relaxed)
        while true {
            let cell = position & mask
            let sequence = sequences[cell].load(ordering: .acquiring)
            let lead = sequence - (position + 1)
            if lead == 0 {
                let (won, current) = dequeuePosition.compareExchange(
                    expected: position, desired: position + 1, ordering: .relaxed)
                if won {
                    let element = cells[cell].take()
                    sequences[cell].store(position + mask + 1, ordering: .releasing)
                    return element
                }
                position = current
            } else if lead < 0 {
                return nil
            } else {
                position = dequeuePosition.load(ordering: .relaxed)
            }
        }
    }
}
