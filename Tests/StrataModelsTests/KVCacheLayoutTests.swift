import StrataModels
import XCTest

/// Grouping layers into KV groups: equal-sized groups per attention window, stage-local slots.
final class KVCacheLayoutTests: XCTestCase {
    /// Gemma 3 270M: every 6th layer global, the others a 512-position window.
    private static let gemmaWindows: [Int?] = (0 ..< 18).map { $0 % 6 == 5 ? nil : 512 }

    func testGemma3GroupsThreeGlobalAndFifteenSlidingLayersIntoSixGroupsOfThree() throws {
        let layout = KVCacheLayout.byWindow(layerWindows: Self.gemmaWindows, layers: try .all(18))
        XCTAssertEqual(layout.groupCount, 6)
        XCTAssertEqual(layout.slotsPerBlock, 3)
        XCTAssertEqual(layout.groupWindows.count { $0 == nil }, 1)
        XCTAssertEqual(layout.groupWindows.count { $0 == 512 }, 5)
        // Every layer has a slot of its own within its group, and a group holds one window.
        var seen = Set<[Int]>()
        for layer in 0 ..< 18 {
            let group = layout.group(ofLayer: layer)
            XCTAssertEqual(layout.groupWindows[group], Self.gemmaWindows[layer])
            XCTAssertTrue(seen.insert([group, layout.slot(ofLayer: layer)]).inserted, "layer \(layer)")
            XCTAssertLessThan(layout.slot(ofLayer: layer), 3)
        }
        let global = layout.group(ofLayer: 5)
        XCTAssertEqual([11, 17].map(layout.group(ofLayer:)), [global, global])
    }

    func testUnevenCountsUseTheirGreatestCommonDivisor() throws {
        // 4 global, 22 sliding (Gemma 3 1B): groups of 2.
        let windows: [Int?] = (0 ..< 26).map { $0 % 6 == 5 ? nil : 512 }
        let layout = KVCacheLayout.byWindow(layerWindows: windows, layers: try .all(26))
        XCTAssertEqual(layout.slotsPerBlock, 2)
        XCTAssertEqual(layout.groupCount, 13)
    }

    func testWithoutWindowsThereIsOneGroupOfEveryLayer() throws {
        let layout = KVCacheLayout.byWindow(layerWindows: Array(repeating: nil, count: 4), layers: try .all(4))
        XCTAssertEqual(layout, KVCacheLayout.single(layers: try .all(4)))
        XCTAssertEqual(layout.groupWindows, [nil])
        XCTAssertEqual(layout.slotsPerBlock, 4)
        XCTAssertEqual((0 ..< 4).map(layout.slot(ofLayer:)), [0, 1, 2, 3])
    }

    func testAStageKeepsSlotsForItsOwnLayersOnly() throws {
        let stage = try LayerRange(first: 9, last: 18, layerCount: 18)
        let layout = KVCacheLayout.byWindow(layerWindows: Self.gemmaWindows, layers: stage)
        let whole = KVCacheLayout.byWindow(layerWindows: Self.gemmaWindows, layers: try .all(18))
        XCTAssertEqual(layout.groupWindows, whole.groupWindows)
        for local in 0 ..< 9 {
            XCTAssertEqual(layout.group(ofLayer: local), whole.group(ofLayer: local + 9))
            XCTAssertLessThan(layout.slot(ofLayer: local), layout.slotsPerBlock)
        }
        XCTAssertLessThanOrEqual(layout.slotsPerBlock, 3)
    }
}
