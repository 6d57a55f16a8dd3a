import StrataGGUF

/// Splits a model's layers into contiguous ranges, one per stage, so that the slowest stage is
/// as fast as it can be: each stage's work (the compute of its layers, plus the output head on
/// the last one) divided by its capacity (e.g. its threads), with the largest such time as
/// small as possible. Exact, by dynamic programming over (stage, first layer).
public enum LayerBalancer {
    /// The ranges `[first, last)` for stages of `capacities` (in stage order, each > 0), given
    /// each layer's cost and the extra cost of the last stage. Every stage gets at least one
    /// layer; ties go to the earlier split, so the result is deterministic.
    public static func ranges(
        layerCosts: [Double], lastStageExtraCost: Double = 0, capacities: [Double]
    ) throws(ClusterError) -> [Range<Int>] {
        let layers = layerCosts.count, stages = capacities.count
        guard stages >= 1 else { throw .configuration("balancing needs at least one stage") }
        guard layers >= stages else {
            throw .configuration("\(stages) stages cannot each hold a layer of a \(layers)-layer model")
        }
        guard capacities.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .configuration("every stage's capacity (threads) must be positive")
        }
        var prefix = [0.0]
        for cost in layerCosts { prefix.append(prefix[prefix.count - 1] + max(0, cost)) }
        func time(_ stage: Int, _ first: Int, _ last: Int) -> Double {
            let extra = stage == stages - 1 ? lastStageExtraCost : 0
            return (prefix[last] - prefix[first] + extra) / capacities[stage]
        }
        // best[s][i]: the smallest possible slowest-stage time when stages s..< cover layers i..<.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: layers + 1), count: stages + 1)
        var split = [[Int]](repeating: [Int](repeating: -1, count: layers + 1), count: stages + 1)
        best[stages][layers] = 0
        for stage in stride(from: stages - 1, through: 0, by: -1) {
            let remaining = stages - stage - 1
            for first in 0 ... layers - remaining - 1 {
                for last in first + 1 ... layers - remaining {
                    let candidate = max(time(stage, first, last), best[stage + 1][last])
                    if candidate < best[stage][first] {
                        best[stage][first] = candidate
                        split[stage][first] = last
                    }
                }
            }
        }
        var ranges: [Range<Int>] = []
        var first = 0
        for stage in 0 ..< stages {
            let last = split[stage][first]
            ranges.append(first ..< last)
            first = last
        }
        return ranges
    }

    /// The ranges for `file`'s model: each layer costs the elements of its matrices
    /// (`blk.N.*` tensors of two or more dimensions, so multiply-adds per token), and the last
    /// stage also pays for the output head (`output.weight`, or the tied token embedding).
    public static func ranges(for file: GGUFFile, capacities: [Double]) throws(ClusterError) -> [Range<Int>] {
        let layerCount: Int
        do {
            let architecture = try file.metadata.string("general.architecture")
            layerCount = try file.metadata.integer("\(architecture).block_count")
        } catch {
            throw .configuration("the model file does not say how many layers it has: \(error)")
        }
        guard layerCount > 0 else { throw .configuration("the model file has no layers") }
        var costs = [Double](repeating: 0, count: layerCount)
        for tensor in file.tensors where tensor.dimensions.count >= 2 && tensor.name.hasPrefix("blk.") {
            let parts = tensor.name.split(separator: ".")
            guard parts.count > 2, let layer = Int(parts[1]), costs.indices.contains(layer) else { continue }
            costs[layer] += Double(tensor.elementCount)
        }
        let head = file.tensor(named: "output.weight") ?? file.tensor(named: "token_embd.weight")
        return try ranges(layerCosts: costs, lastStageExtraCost: Double(head?.elementCount ?? 0), capacities: capacities)
    }
}
