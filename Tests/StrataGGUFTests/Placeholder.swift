import XCTest
import StrataGGUF

final class SmokeTests: XCTestCase {
    func testOpensDefaultModel() throws {
        let path = NSString(string: "~/.cache/strata/models/gemma-3-270m-q4_k_m.gguf").expandingTildeInPath
        let start = Date()
        let file = try GGUFFile(path: path)
        print("open took", Date().timeIntervalSince(start))
        XCTAssertEqual(file.tensors.count, 236)
        XCTAssertEqual(try file.metadata.string("general.architecture"), "gemma3")
        XCTAssertEqual(try file.metadata.stringArray("tokenizer.ggml.tokens").count, 262144)
        let t = try XCTUnwrap(file.tensor(named: "token_embd.weight"))
        XCTAssertEqual(t.dimensions, [640, 262144])
        XCTAssertEqual(file.data(for: t).count, 262144 * 640 / 32 * 34)
    }
}
