import StrataCatalog
import XCTest

/// Parsing of the reference forms.
final class ModelReferenceTests: XCTestCase {
    func testEveryFormParses() throws {
        XCTAssertEqual(try ModelReference(parsing: "gemma"), .bare("gemma"))
        XCTAssertEqual(try ModelReference(parsing: "google/gemma-3:stable"), .alias(model: "google/gemma-3", alias: "stable"))
        XCTAssertEqual(try ModelReference(parsing: "gemma@sha256:ABCdef01"), .digest(model: "gemma", prefix: "abcdef01"))
        XCTAssertEqual(try ModelReference(parsing: "gemma@sha256:abc").description, "gemma@sha256:abc")
    }

    func testMalformedReferencesNameTheFault() {
        for text in ["", "gemma@abc", "gemma@sha256:", "gemma@sha256:xyz", "gemma@sha256:" + String(repeating: "a", count: 65),
                     ":alias", "gemma:", "gem ma", "-gemma", "gemma:a/b", "gemma:a:b"] {
            XCTAssertThrowsError(try ModelReference(parsing: text), text) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.contains("invalid"), message)
            }
        }
    }
}
