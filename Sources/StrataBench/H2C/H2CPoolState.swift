/// Which connection of an h2c client a new request uses: a fixed number of slots, each with at
/// most one connection (or connection attempt) and a count of its open streams. A request goes
/// to the slot with the fewest streams; an empty slot is connected first, and a slot whose
/// connection failed or closed is emptied so that the next request there connects again.
///
/// Pure state, generic over the connection handle, so it is tested without sockets; the client
/// performs the actions under a lock.
struct H2CPoolState<Connection> {
    /// What the caller must do for a new request.
    enum Action {
        /// Open a stream on the slot's connection (possibly still connecting).
        case use(slot: Int, connection: Connection)
        /// Start a connection for the slot and report it with `connecting(slot:generation:connection:)`.
        case connect(slot: Int, generation: Int)
    }

    private struct Slot {
        var connection: Connection?
        var generation = 0
        var streams = 0
    }

    private var slots: [Slot]
    private(set) var isShutDown = false

    /// A pool of `slots` connections (at least one).
    init(slots: Int) {
        self.slots = Array(repeating: Slot(), count: max(1, slots))
    }

    /// Streams open on each slot, in slot order.
    var streamCounts: [Int] { slots.map(\.streams) }

    /// A new request: picks the least-loaded slot (the first on ties) and counts the stream.
    /// `nil` after shutdown.
    mutating func acquire() -> Action? {
        guard !isShutDown else { return nil }
        var best = 0
        for index in slots.indices where slots[index].streams < slots[best].streams { best = index }
        slots[best].streams += 1
        if let connection = slots[best].connection { return .use(slot: best, connection: connection) }
        slots[best].generation += 1
        return .connect(slot: best, generation: slots[best].generation)
    }

    /// The connection attempt for `slot` started by the `.connect` action of `generation`.
    mutating func connecting(slot: Int, generation: Int, connection: Connection) {
        guard slots[slot].generation == generation, !isShutDown else { return }
        slots[slot].connection = connection
    }

    /// The connection of `generation` failed or closed: the slot connects again on next use.
    mutating func lost(slot: Int, generation: Int) {
        guard slots[slot].generation == generation else { return }
        slots[slot].connection = nil
    }

    /// A stream on `slot` ended.
    mutating func release(slot: Int) {
        slots[slot].streams = max(0, slots[slot].streams - 1)
    }

    /// Stops handing out connections; returns those to close.
    mutating func shutDown() -> [Connection] {
        isShutDown = true
        defer { for index in slots.indices { slots[index].connection = nil } }
        return slots.compactMap(\.connection)
    }
}
