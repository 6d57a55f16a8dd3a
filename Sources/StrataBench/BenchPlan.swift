import StrataEngine

/// How requests are scheduled: an arrival process, or the offsets a replay file recorded.
public enum Schedule: Sendable, Equatable {
    /// Open-loop arrivals, reproducible from `seed`.
    case process(ArrivalProcess, seed: UInt64)
    /// Fixed offsets in seconds, one per request.
    case recorded([Double])
}

/// Everything a run needs besides the target.
public struct BenchPlan: Sendable {
    /// Prompts to send, in order; reused cyclically when the run asks for more.
    public var requests: [BenchRequest]
    /// Requests sent before the measured run, at the concurrency cap, and excluded from it.
    public var warmup: [BenchRequest]
    /// When each request is sent.
    public var schedule: Schedule
    /// Most requests in flight at once; `nil` for no cap.
    public var maxConcurrency: Int?
    /// Number of measured requests; `nil` to send until `duration` (then `requests` are reused).
    public var count: Int?
    /// Seconds after which no new request is sent; those in flight finish (within the timeout).
    public var duration: Double?

    /// A plan; throws unless it is bounded: a count or a duration, and with a duration but no
    /// count, either a finite rate or a concurrency cap.
    public init(
        requests: [BenchRequest], warmup: [BenchRequest] = [], schedule: Schedule, maxConcurrency: Int? = nil,
        count: Int?, duration: Double? = nil
    ) throws(BenchError) {
        guard !requests.isEmpty else { throw .invalidOption("the workload has no requests") }
        if let count, count < 1 { throw .invalidOption("--num-requests must be at least 1") }
        if let duration, !(duration > 0 && duration.isFinite) { throw .invalidOption("--duration must be positive") }
        if let maxConcurrency, maxConcurrency < 1 { throw .invalidOption("--max-concurrency must be at least 1") }
        guard count != nil || duration != nil else { throw .invalidOption("give --num-requests or --duration") }
        if count == nil, case .process(let process, _) = schedule, process.rate == nil, maxConcurrency == nil {
            throw .invalidOption("--duration without --num-requests needs a finite --request-rate or --max-concurrency")
        }
        if case .recorded(let offsets) = schedule, offsets.count < (count ?? requests.count) {
            throw .invalidOption("the replay has \(offsets.count) entries, fewer than the requests asked for")
        }
        self.requests = requests
        self.warmup = warmup
        self.schedule = schedule
        self.maxConcurrency = maxConcurrency
        self.count = count
        self.duration = duration
    }

    /// The request sent `index`-th (its id is `index`).
    public func request(at index: Int) -> BenchRequest {
        var request = requests[index % requests.count]
        request.id = index
        return request
    }

    /// Yields the send offsets one at a time.
    public func offsets() -> OffsetSequence { OffsetSequence(schedule: schedule) }

    /// Send offsets in order, drawn lazily so that an unbounded-count run needs no array.
    public struct OffsetSequence: Sendable {
        private let schedule: Schedule
        private var random: RandomSource
        private var index = 0
        private var last = 0.0

        init(schedule: Schedule) {
            self.schedule = schedule
            if case .process(_, let seed) = schedule { random = RandomSource(seed: seed) } else { random = RandomSource(seed: 0) }
        }

        /// The next offset, or `nil` when a recorded schedule is exhausted.
        public mutating func next() -> Double? {
            defer { index += 1 }
            switch schedule {
            case .recorded(let offsets):
                return index < offsets.count ? offsets[index] : nil
            case .process(let process, _):
                if index > 0 { last += process.interval(using: &random) }
                return last
            }
        }
    }
}
