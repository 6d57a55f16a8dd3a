// AVX2 dot products of float weights (F32, F16, BF16) with f32 activations.
// Weights are widened to f32 on the fly; four accumulators of 8 lanes, then a scalar tail.

#include "x86_common.h"

#if defined(__x86_64__)

#pragma clang fp contract(off)

STRATA_AVX2_INLINE __m256 strata_load8_f32(const void *w, int64_t i) {
    return _mm256_loadu_ps((const float *)w + i);
}

STRATA_AVX2_INLINE __m256 strata_load8_f16(const void *w, int64_t i) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const strata_fp16 *)w + i)));
}

STRATA_AVX2_INLINE __m256 strata_load8_bf16(const void *w, int64_t i) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)((const strata_bf16 *)w + i)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

#define STRATA_DEFINE_FLOAT_DOT(wfmt, LOAD8, SCALAR)                                                   \
    STRATA_AVX2 float strata_vec_dot_##wfmt##_f32_avx2(int64_t n, const void *restrict w,              \
                                                       const void *restrict a) {                       \
        const float *y = a;                                                                            \
        __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;                      \
        int64_t i = 0;                                                                                 \
        for (; i + 32 <= n; i += 32) {                                                                 \
            acc0 = _mm256_fmadd_ps(LOAD8(w, i + 0), _mm256_loadu_ps(y + i + 0), acc0);                 \
            acc1 = _mm256_fmadd_ps(LOAD8(w, i + 8), _mm256_loadu_ps(y + i + 8), acc1);                 \
            acc2 = _mm256_fmadd_ps(LOAD8(w, i + 16), _mm256_loadu_ps(y + i + 16), acc2);               \
            acc3 = _mm256_fmadd_ps(LOAD8(w, i + 24), _mm256_loadu_ps(y + i + 24), acc3);               \
        }                                                                                              \
        for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(LOAD8(w, i), _mm256_loadu_ps(y + i), acc0);  \
        float sum = strata_hsum_f32x8(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3))); \
        for (; i < n; i++) sum += SCALAR * y[i];                                                        \
        return sum;                                                                                    \
    }                                                                                                  \
    STRATA_DEFINE_LOOP_TILE(wfmt##_f32_avx2, strata_vec_dot_##wfmt##_f32_avx2, STRATA_AVX2)

STRATA_DEFINE_FLOAT_DOT(f32, strata_load8_f32, ((const float *)w)[i])
STRATA_DEFINE_FLOAT_DOT(f16, strata_load8_f16, strata_fp16_to_f32(((const strata_fp16 *)w)[i]))
STRATA_DEFINE_FLOAT_DOT(bf16, strata_load8_bf16, strata_bf16_to_f32(((const strata_bf16 *)w)[i]))

#endif
