// AVX2 activation quantizers, byte-identical to generic/generic_quantize_activations.c: the same
// scalar scales, the same products, and rounding half to even (round_ps) like strata_nearest_int.

#include "x86_common.h"

#if defined(__x86_64__)

#pragma clang fp contract(off)

#define STRATA_ROUND_EVEN (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)

STRATA_AVX2_INLINE float strata_hmax_f32x8(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

/// round-half-even(x[0..<32] * scale) as 32 int8 in order (values must lie within -128...127).
STRATA_AVX2_INLINE __m256i strata_round_to_i8x32(const float *x, __m256 scale) {
    const __m256i a = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 0), scale), STRATA_ROUND_EVEN));
    const __m256i b = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 8), scale), STRATA_ROUND_EVEN));
    const __m256i c = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 16), scale), STRATA_ROUND_EVEN));
    const __m256i d = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 24), scale), STRATA_ROUND_EVEN));
    // packs work within 128-bit lanes: dwords come out as a0-3 b0-3 c0-3 d0-3 | a4-7 b4-7 c4-7 d4-7.
    const __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
    return _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

STRATA_AVX2 void strata_quantize_row_q8_0_avx2(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q8_0 *y = dst;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float *x = src + i * STRATA_QK;
        __m256 m = _mm256_andnot_ps(sign, _mm256_loadu_ps(x));
        for (int k = 8; k < STRATA_QK; k += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + k)));
        const float amax = strata_hmax_f32x8(m);
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        y[i].d = strata_f32_to_fp16(d);
        _mm256_storeu_si256((__m256i *)y[i].qs, strata_round_to_i8x32(x, _mm256_set1_ps(id)));
    }
}

STRATA_AVX2 void strata_quantize_row_q8_K_avx2(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q8_K *y = dst;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float *x = src + i * STRATA_QK_K;
        __m256 m = _mm256_andnot_ps(sign, _mm256_loadu_ps(x));
        for (int k = 8; k < STRATA_QK_K; k += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + k)));
        const float amax = strata_hmax_f32x8(m);
        if (amax == 0.0f) {
            memset(&y[i], 0, sizeof y[i]);
            continue;
        }
        // The first element of largest magnitude, with its sign (as the scalar scan finds it).
        float max = 0;
        for (int k = 0; k < STRATA_QK_K; k += 8) {
            const __m256 ax = _mm256_andnot_ps(sign, _mm256_loadu_ps(x + k));
            const int hits = _mm256_movemask_ps(_mm256_cmp_ps(ax, _mm256_set1_ps(amax), _CMP_EQ_OQ));
            if (hits) {
                max = x[k + __builtin_ctz((unsigned)hits)];
                break;
            }
        }
        const float iscale = -127.0f / max;
        const __m256 scale = _mm256_set1_ps(iscale);
        for (int k = 0; k < STRATA_QK_K; k += 32) {
            // The saturating packs clamp at 127 exactly as the scalar MIN(127, v) does.
            const __m256i q = strata_round_to_i8x32(x + k, scale);
            _mm256_storeu_si256((__m256i *)(y[i].qs + k), q);
            // Sums of each 16 bytes: bytes to int16 pairs, to int32 quads, then within each 128-bit lane.
            const __m256i quads = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
            const __m256i sums = _mm256_hadd_epi32(_mm256_hadd_epi32(quads, quads), quads);
            y[i].bsums[k / 16] = (int16_t)_mm256_extract_epi32(sums, 0);
            y[i].bsums[k / 16 + 1] = (int16_t)_mm256_extract_epi32(sums, 4);
        }
        y[i].d = 1.0f / iscale;
    }
}

#endif
