import StrataGGUF
import Testing

struct GGMLTypeTests {
    @Test func blockLayoutsOfCommonTypes() {
        #expect(GGMLType.q4_K.blockSize == 256 && GGMLType.q4_K.typeSize == 144)
        #expect(GGMLType.q8_0.blockSize == 32 && GGMLType.q8_0.typeSize == 34)
        #expect(GGMLType.q6_K.typeSize == 210)
        #expect(GGMLType.f16.rowByteCount(elements: 640) == 1280)
        #expect(GGMLType.q4_K.rowByteCount(elements: 640) == nil)
        #expect(GGMLType.q4_K.rowByteCount(elements: 1024) == 576)
        #expect(GGMLType.f32.rowByteCount(elements: -4) == nil)
    }

    /// A row whose byte count does not fit in `Int` has no byte count, instead of trapping.
    @Test func rowByteCountOverflow() {
        #expect(GGMLType.f64.rowByteCount(elements: 1 << 61) == nil)
        #expect(GGMLType.f32.rowByteCount(elements: Int.max) == nil)
        #expect(GGMLType.f64.rowByteCount(elements: 1 << 59) == 1 << 62)
    }

    @Test func rawValuesAndNamesAreUnique() {
        #expect(Set(GGMLType.allCases.map(\.rawValue)).count == GGMLType.allCases.count)
        #expect(Set(GGMLType.allCases.map(\.description)).count == GGMLType.allCases.count)
    }
}
