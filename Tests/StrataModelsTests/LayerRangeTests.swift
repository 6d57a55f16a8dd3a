import StrataModels
import XCTest

final class LayerRangeTests: XCTestCase {
    func testValidRangesKnowTheirStageRole() throws {
        let all = try LayerRange.all(18)
        XCTAssertTrue(all.isFirstStage && all.isLastStage)
        let middle = try LayerRange(first: 6, last: 12, layerCount: 18)
        XCTAssertFalse(middle.isFirstStage || middle.isLastStage)
        XCTAssertEqual(middle.count, 6)
        XCTAssertEqual(middle.description, "6:12")
    }

    func testEmptyOrOutOfBoundsRangesAreRefused() {
        for (first, last) in [(0, 0), (5, 4), (-1, 3), (0, 19)] {
            XCTAssertThrowsError(try LayerRange(first: first, last: last, layerCount: 18)) { error in
                XCTAssertEqual(error as? ModelError, .invalidLayerRange(first: first, last: last, layerCount: 18))
            }
        }
    }
}
