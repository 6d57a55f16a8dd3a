/// A candidate merge of two adjacent symbols in SentencePiece tokenization.
struct Bigram {
    var score: Float
    var left: Int32
    var right: Int32
    /// Byte length of the merged text; a stale entry no longer matches its symbols' lengths.
    var size: Int32
}

/// Max-priority queue of bigrams: highest score first, leftmost first among equal scores
/// (llama.cpp's `llm_bigram_spm::comparator`).
struct BigramQueue {
    private var heap: [Bigram] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func removeAll() {
        heap.removeAll(keepingCapacity: true)
    }

    mutating func push(_ bigram: Bigram) {
        heap.append(bigram)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Bigram? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let best = right < heap.count && Self.precedes(heap[right], heap[left]) ? right : left
            guard Self.precedes(heap[best], heap[parent]) else { break }
            heap.swapAt(best, parent)
            parent = best
        }
        return top
    }

    @inline(__always)
    private static func precedes(_ a: Bigram, _ b: Bigram) -> Bool {
        a.score > b.score || (a.score == b.score && a.left < b.left)
    }
}
