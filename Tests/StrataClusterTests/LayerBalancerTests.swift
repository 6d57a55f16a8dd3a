import StrataEngine
import StrataGGUF
import StrataTestSupport
import Testing
@testable import StrataCluster

/// Balanced layer ranges: exact against brute force on small cases, sensible on the default model.
@Suite struct LayerBalancerTests {
    /// The slowest stage's time for `ranges`.
    private func slowest(_ ranges: [Range<Int>], costs: [Double], extra: Double, capacities: [Double]) -> Double {
        ranges.enumerated().map { stage, range in
            (range.reduce(0) { $0 + costs[$1] } + (stage == ranges.count - 1 ? extra : 0)) / capacities[stage]
        }.max() ?? 0
    }

    /// Every way to cut `layers` layers into `stages` non-empty contiguous ranges.
    private func allSplits(layers: Int, stages: Int, from first: Int = 0) -> [[Range<Int>]] {
        guard stages > 1 else { return [[first ..< layers]] }
        return (first + 1 ... layers - stages + 1).flatMap { cut in
            allSplits(layers: layers, stages: stages - 1, from: cut).map { [first ..< cut] + $0 }
        }
    }

    @Test func equalLayersAndEqualThreadsSplitEvenly() throws {
        let ranges = try LayerBalancer.ranges(layerCosts: .init(repeating: 1, count: 18), capacities: [1, 1])
        #expect(ranges == [0 ..< 9, 9 ..< 18])
        #expect(try LayerBalancer.ranges(layerCosts: .init(repeating: 1, count: 18), capacities: [1, 1, 1])
            == [0 ..< 6, 6 ..< 12, 12 ..< 18])
    }

    @Test func moreThreadsTakeMoreLayersAndTheHeadShiftsLayersForward() throws {
        let costs = [Double](repeating: 1, count: 18)
        #expect(try LayerBalancer.ranges(layerCosts: costs, capacities: [2, 1]) == [0 ..< 12, 12 ..< 18])
        let withHead = try LayerBalancer.ranges(layerCosts: costs, lastStageExtraCost: 4, capacities: [1, 1])
        #expect(withHead == [0 ..< 11, 11 ..< 18])
    }

    @Test func matchesBruteForceOnRandomCases() throws {
        var random = RandomSource(seed: 7)
        for _ in 0 ..< 300 {
            let layers = Int(random.next() % 9) + 1
            let stages = Int(random.next() % UInt64(layers)) + 1
            let costs = (0 ..< layers).map { _ in Double(random.next() % 100) / 10 }
            let capacities = (0 ..< stages).map { _ in Double(random.next() % 4 + 1) }
            let extra = Double(random.next() % 50) / 10
            let ranges = try LayerBalancer.ranges(layerCosts: costs, lastStageExtraCost: extra, capacities: capacities)
            #expect(ranges.count == stages)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == layers)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$0.isEmpty })
            let best = allSplits(layers: layers, stages: stages)
                .map { slowest($0, costs: costs, extra: extra, capacities: capacities) }.min() ?? 0
            #expect(abs(slowest(ranges, costs: costs, extra: extra, capacities: capacities) - best) < 1e-9)
        }
    }

    @Test func refusesImpossibleSplits() {
        #expect(throws: ClusterError.self) { try LayerBalancer.ranges(layerCosts: [1, 1], capacities: [1, 1, 1]) }
        #expect(throws: ClusterError.self) { try LayerBalancer.ranges(layerCosts: [1, 1], capacities: [1, 0]) }
        #expect(throws: ClusterError.self) { try LayerBalancer.ranges(layerCosts: [1, 1], capacities: []) }
    }

    @Test func defaultModelGivesTheLastStageFewerLayersForTheOutputHead() throws {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        let ranges = try LayerBalancer.ranges(for: file, capacities: [1, 1])
        #expect(ranges.count == 2 && ranges[0].lowerBound == 0 && ranges[1].upperBound == 18)
        // Gemma 3 270M's tied 262,144 × 640 head outweighs several of its layers.
        #expect(ranges[1].count < ranges[0].count)
    }
}
