import StrataGGUF
import StrataKernels
import XCTest

final class WeightMatrixTests: XCTestCase {
    private let storage = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 64)

    deinit { storage.deallocate() }

    func testSupportedTypesWrap() throws {
        for type in [GGMLType.f32, .f16, .bf16, .q8_0, .q4_0, .q5_0, .q4_K, .q5_K, .q6_K] {
            let w = try WeightMatrix(type: type, rows: 3, columns: 256, data: storage)
            XCTAssertEqual(w.rowBytes, 256 / type.blockSize * type.typeSize)
        }
    }

    func testUnsupportedTypeThrows() {
        XCTAssertThrowsError(try WeightMatrix(type: .q4_1, rows: 1, columns: 32, data: storage)) {
            XCTAssertEqual($0 as? KernelError, .unsupportedType(.q4_1))
        }
        XCTAssertThrowsError(try WeightMatrix(type: .i32, rows: 1, columns: 32, data: storage)) {
            XCTAssertEqual($0 as? KernelError, .unsupportedType(.i32))
        }
    }

    func testUnalignedRowsThrow() {
        XCTAssertThrowsError(try WeightMatrix(type: .q4_K, rows: 1, columns: 640, data: storage)) {
            XCTAssertEqual($0 as? KernelError, .rowNotBlockAligned(type: .q4_K, columns: 640))
        }
        XCTAssertThrowsError(try WeightMatrix(type: .q8_0, rows: 1, columns: 33, data: storage)) {
            XCTAssertEqual($0 as? KernelError, .rowNotBlockAligned(type: .q8_0, columns: 33))
        }
    }

    func testEmptyShapesThrow() {
        XCTAssertThrowsError(try WeightMatrix(type: .f32, rows: 0, columns: 8, data: storage)) {
            XCTAssertEqual($0 as? KernelError, .invalidShape(rows: 0, columns: 8))
        }
    }

    func testKernelSetsAreNamed() {
        XCTAssertEqual(KernelSet.reference.description, "reference")
        #if arch(x86_64)
        XCTAssertTrue(["reference", "avx2"].contains(KernelSet.best.description))
        #endif
    }
}
