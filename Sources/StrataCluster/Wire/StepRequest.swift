import StrataEngine
import StrataScheduling

/// One engine step as sent to one pipeline stage: token ids (first stage) or the previous stage's
/// hidden states, with the rows' positions, sequence indices and block tables. The last stage
/// also gets the rows to sample, and the samplers to create and forget before this step.
public struct StepRequest: Sendable, Equatable {
    /// What the stage computes from.
    public enum Input: Sendable, Equatable {
        /// Token ids, one per row (first stage).
        case tokens([Int32])
        /// The previous stage's output rows.
        case hidden(HiddenStates)

        /// Number of rows.
        public var rowCount: Int {
            switch self {
            case let .tokens(tokens): tokens.count
            case let .hidden(hidden): hidden.rows
            }
        }
    }

    /// A row whose logits choose a sequence's next token (last stage only).
    public struct Sample: Sendable, Equatable {
        /// The batch row.
        public var row: Int
        /// The sequence whose sampler chooses.
        public var sequenceID: SequenceID

        public init(row: Int, sequenceID: SequenceID) {
            self.row = row
            self.sequenceID = sequenceID
        }
    }

    /// A sequence whose sampler the last stage creates before this step.
    public struct NewSequence: Sendable, Equatable {
        public var id: SequenceID
        public var sampling: SequenceSampler.Configuration

        public init(id: SequenceID, sampling: SequenceSampler.Configuration) {
            self.id = id
            self.sampling = sampling
        }
    }

    /// Identifies the step (echoed in the response).
    public var stepID: UInt64
    public var input: Input
    /// Position of each row within its sequence.
    public var positions: [Int32]
    /// For each row, the index of its sequence in `blockTables`.
    public var sequenceIndices: [Int32]
    /// Each sequence's KV block ids.
    public var blockTables: [[Int32]]
    /// Rows to sample, in the order of the returned tokens (empty except for the last stage).
    public var samples: [Sample]
    /// Samplers to create, then `removedSequences` to forget, before computing (last stage only).
    public var newSequences: [NewSequence]
    public var removedSequences: [SequenceID]
    /// How a non-last stage returns its hidden states.
    public var outputEncoding: HiddenStates.Encoding

    public init(
        stepID: UInt64, input: Input, positions: [Int32], sequenceIndices: [Int32], blockTables: [[Int32]],
        samples: [Sample] = [], newSequences: [NewSequence] = [], removedSequences: [SequenceID] = [],
        outputEncoding: HiddenStates.Encoding = .f32
    ) {
        self.outputEncoding = outputEncoding
        self.stepID = stepID
        self.input = input
        self.positions = positions
        self.sequenceIndices = sequenceIndices
        self.blockTables = blockTables
        self.samples = samples
        self.newSequences = newSequences
        self.removedSequences = removedSequences
    }

    /// Number of rows.
    public var rowCount: Int { positions.count }
}
