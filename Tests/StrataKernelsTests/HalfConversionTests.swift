import CStrataKernels
import XCTest

/// fp16 and bf16 scalar conversions: exhaustive where the domain is 2^16, strided over all 2^32 floats otherwise.
final class HalfConversionTests: XCTestCase {
    func testFp16ToF32IsExactForEveryHalf() {
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = strata_fp16_to_f32(bits)
            if expected.isNaN {
                XCTAssertTrue(actual.isNaN, "half 0x\(String(bits, radix: 16))")
                XCTAssertEqual(actual.sign, expected.sign)
                // The payload is kept (shifted into the top of the f32 mantissa).
                XCTAssertEqual(actual.bitPattern & 0x007f_ffff, UInt32(bits & 0x3ff) << 13)
            } else {
                XCTAssertEqual(actual.bitPattern, expected.bitPattern, "half 0x\(String(bits, radix: 16))")
            }
        }
    }

    func testF32ToFp16RoundsToNearestEven() {
        // Every 97th float bit pattern (~44M values) plus every value near the half boundaries.
        var checked = 0
        var bits: UInt32 = 0
        while true {
            checkFp16(Float(bitPattern: bits))
            checked += 1
            let (next, overflow) = bits.addingReportingOverflow(97)
            if overflow { break }
            bits = next
        }
        for half in 0...UInt16.max {
            let f = Float(Float16(bitPattern: half))
            guard f.isFinite else { continue }
            for delta in -3...3 {
                checkFp16(Float(bitPattern: UInt32(bitPattern: Int32(bitPattern: f.bitPattern) &+ Int32(delta))))
            }
            checkFp16(f.nextUp)
            checkFp16(f.nextDown)
        }
        XCTAssertGreaterThan(checked, 40_000_000)
    }

    private func checkFp16(_ value: Float) {
        let actual = strata_f32_to_fp16(value)
        if value.isNaN {
            XCTAssertTrue(Float16(bitPattern: actual).isNaN, "\(value.bitPattern)")
            return
        }
        let expected = Float16(value).bitPattern  // Swift converts with round-to-nearest-even
        if actual != expected {
            XCTFail("f32 0x\(String(value.bitPattern, radix: 16)) -> 0x\(String(actual, radix: 16)), expected 0x\(String(expected, radix: 16))")
        }
    }

    func testBf16ToF32IsTheTopHalf() {
        for bits in 0...UInt16.max {
            XCTAssertEqual(strata_bf16_to_f32(bits).bitPattern, UInt32(bits) << 16)
        }
    }

    func testF32ToBf16RoundsToNearestEven() {
        var bits: UInt32 = 0
        while true {
            let value = Float(bitPattern: bits)
            let actual = strata_f32_to_bf16(value)
            if value.isNaN {
                XCTAssertTrue(strata_bf16_to_f32(actual).isNaN)
            } else {
                // Nearest of the two bf16 neighbours, ties to the even one (Double is exact here).
                let down = bits & 0xffff_0000
                let up = down &+ 0x1_0000
                let low = Double(Float(bitPattern: down)), v = Double(value)
                let expected: UInt32
                if (bits & 0xffff) == 0 {
                    expected = down
                } else {
                    // Past the largest finite bf16, "up" stands for 2^128 (where IEEE rounding overflows).
                    let upFloat = Float(bitPattern: up)
                    let high = upFloat.isInfinite ? (value < 0 ? -0x1p128 : 0x1p128) : Double(upFloat)
                    let dLow = abs(v - low), dHigh = abs(high - v)
                    if dLow < dHigh { expected = down }
                    else if dHigh < dLow { expected = up }
                    else { expected = (down & 0x1_0000) == 0 ? down : up }
                }
                if UInt32(actual) << 16 != expected {
                    XCTFail("f32 0x\(String(bits, radix: 16)) -> bf16 0x\(String(actual, radix: 16))")
                    return
                }
            }
            let (next, overflow) = bits.addingReportingOverflow(89)
            if overflow { break }
            bits = next
        }
    }
}
