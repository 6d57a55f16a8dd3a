@testable import StrataBench
import StrataEngine
import XCTest

/// Arrival statistics with a fixed seed: the mean rate, and the spread that burstiness sets
/// (gamma with shape k has coefficient of variation 1/√k).
final class ArrivalProcessTests: XCTestCase {
    private func intervals(rate: Double, burstiness: Double, count: Int = 40_000, seed: UInt64 = 7) throws -> [Double] {
        var random = RandomSource(seed: seed)
        let offsets = try ArrivalProcess(rate: rate, burstiness: burstiness).offsets(count: count, using: &random)
        return zip(offsets.dropFirst(), offsets).map { $0 - $1 }
    }

    private func meanAndCV(_ values: [Double]) -> (Double, Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot() / mean)
    }

    func testPoissonArrivalsHaveTheRequestedRate() throws {
        let (mean, cv) = meanAndCV(try intervals(rate: 5, burstiness: 1))
        XCTAssertEqual(mean, 0.2, accuracy: 0.2 * 0.02)
        XCTAssertEqual(cv, 1, accuracy: 0.03)
    }

    func testBurstinessSetsTheSpreadButNotTheRate() throws {
        for (burstiness, expectedCV) in [(0.25, 2.0), (4.0, 0.5), (16.0, 0.25)] {
            let (mean, cv) = meanAndCV(try intervals(rate: 10, burstiness: burstiness))
            XCTAssertEqual(mean, 0.1, accuracy: 0.1 * 0.03, "burstiness \(burstiness)")
            XCTAssertEqual(cv, expectedCV, accuracy: expectedCV * 0.05, "burstiness \(burstiness)")
        }
    }

    func testASeedMakesArrivalsReproducible() throws {
        XCTAssertEqual(try intervals(rate: 3, burstiness: 0.5, count: 100, seed: 1), try intervals(rate: 3, burstiness: 0.5, count: 100, seed: 1))
        XCTAssertNotEqual(try intervals(rate: 3, burstiness: 0.5, count: 100, seed: 1), try intervals(rate: 3, burstiness: 0.5, count: 100, seed: 2))
    }

    func testInfiniteRateSendsEverythingAtOnce() throws {
        var random = RandomSource(seed: 0)
        XCTAssertEqual(try ArrivalProcess(rate: nil).offsets(count: 5, using: &random), [0, 0, 0, 0, 0])
        XCTAssertNil(try ArrivalProcess.parseRate("inf"))
        XCTAssertEqual(try ArrivalProcess.parseRate("2.5"), 2.5)
        XCTAssertThrowsError(try ArrivalProcess.parseRate("0"))
        XCTAssertThrowsError(try ArrivalProcess.parseRate("fast"))
        XCTAssertThrowsError(try ArrivalProcess(rate: 1, burstiness: 0))
    }

    func testThePlanDrawsTheSameOffsetsAsTheProcess() throws {
        let process = try ArrivalProcess(rate: 4, burstiness: 2)
        var random = RandomSource(seed: 11)
        let expected = process.offsets(count: 50, using: &random)
        let request = BenchRequest(id: 0, prompt: "p", maxTokens: 1, estimatedInputTokens: 1)
        var sequence = try BenchPlan(requests: [request], schedule: .process(process, seed: 11), count: 50).offsets()
        XCTAssertEqual((0 ..< 50).compactMap { _ in sequence.next() }, expected)
    }

    func testPlansMustBeBounded() throws {
        let request = BenchRequest(id: 0, prompt: "p", maxTokens: 1, estimatedInputTokens: 1)
        let infinite = Schedule.process(try ArrivalProcess(rate: nil), seed: 0)
        XCTAssertThrowsError(try BenchPlan(requests: [request], schedule: infinite, count: nil, duration: nil))
        XCTAssertThrowsError(try BenchPlan(requests: [request], schedule: infinite, count: nil, duration: 5))
        XCTAssertNoThrow(try BenchPlan(requests: [request], schedule: infinite, maxConcurrency: 2, count: nil, duration: 5))
        let plan = try BenchPlan(requests: [request], schedule: infinite, count: 3)
        XCTAssertEqual(plan.request(at: 2).id, 2, "requests are reused cyclically with fresh ids")
    }
}
