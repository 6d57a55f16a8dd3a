import Foundation
import StrataGGUF
import StrataKernels
import XCTest

/// Dequantized rows of the default model equal the `gguf` Python package's (fixtures/dequant-gemma3.json).
final class DequantFixtureTests: XCTestCase {
    /// `../shared/fixtures` next to the package root (three levels above this file).
    private static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/fixtures").standardizedFileURL

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

    private struct MissingModel: Error, CustomStringConvertible {
        let description: String
    }

    /// `STRATA_MODEL`, else the default model in the cache; skips when absent unless `CI` is set.
    private func modelPath() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["STRATA_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser
                .appendingPathComponent(".cache/strata/models/gemma-3-270m-q4_k_m.gguf").path
        if FileManager.default.fileExists(atPath: path) { return path }
        let message = "default model not found at \(path); set STRATA_MODEL or install gemma-3-270m-q4_k_m.gguf"
        if environment["CI"] != nil { throw MissingModel(description: message) }
        throw XCTSkip(message)
    }

    func testDequantizedRowsMatchTheFixture() throws {
        let file = try GGUFFile(path: try modelPath())
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("dequant-gemma3.json"))
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
