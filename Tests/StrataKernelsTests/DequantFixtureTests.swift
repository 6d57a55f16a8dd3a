import Foundation
import StrataGGUF
import StrataKernels
import StrataTestSupport
import XCTest

/// Dequantized rows of the default model equal the `gguf` Python package's (fixtures/dequant-gemma3.json).
final class DequantFixtureTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Row: Decodable {
            let tensor: String
            let type: String
            let shape_ne: [Int]
            let row: Int
            let values: [Float]
        }
        let rows: [Row]
    }

    func testDequantizedRowsMatchTheFixture() throws {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        let data = try Data(contentsOf: try TestResources.requireFixture("dequant-gemma3.json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        XCTAssertEqual(Set(fixture.rows.map(\.type)), ["Q8_0", "Q5_0", "Q4_K", "Q6_K"])
        for kernels in [KernelSet.reference, .best] {
            for entry in fixture.rows {
                let info = try XCTUnwrap(file.tensor(named: entry.tensor), "no tensor \(entry.tensor)")
                XCTAssertEqual(info.type.description, entry.type)
                XCTAssertEqual(info.dimensions, entry.shape_ne)
                let bytes = file.data(for: info)
                let w = try WeightMatrix(type: info.type, rows: info.dimensions[1], columns: info.dimensions[0],
                                         data: try XCTUnwrap(bytes.baseAddress), kernels: kernels)
                var row = [Float](repeating: .nan, count: w.columns)
                dequantizeRow(w, row: entry.row, into: &row)
                let largest = entry.values.map(abs).max() ?? 0
                XCTAssertEqual(entry.values.count, w.columns)
                for (i, expected) in entry.values.enumerated() where abs(row[i] - expected) > 1e-5 * largest {
                    XCTFail("\(kernels) \(entry.tensor) row \(entry.row) [\(i)]: \(row[i]) vs \(expected)")
                    break
                }
            }
        }
    }
}
