// AVX2 dot products of the 32-element formats (Q8_0, Q4_0, Q5_0) with Q8_0 activations.
//
// Per block: weights unpacked to signed bytes, |w| · (a with the sign of w) by maddubs, pairs summed
// to int32 by madd (exact), then scaled by d_w · d_a into float lanes (even and odd blocks in separate
// accumulators). One core serves 1...STRATA_TILE_TOKENS tokens: the weight block is unpacked once and
// each token keeps its own accumulators with the same operation sequence, so a tile's outputs equal
// vec_dot's bit for bit.

#include "x86_common.h"

#if defined(__x86_64__)

#pragma clang fp contract(off)

STRATA_AVX2_INLINE __m256i strata_unpack_q8_0(const strata_block_q8_0 *b) {
    return _mm256_loadu_si256((const __m256i *)b->qs);
}

STRATA_AVX2_INLINE __m256i strata_unpack_q4_0(const strata_block_q4_0 *b) {
    return _mm256_sub_epi8(strata_nibbles_32(b->qs), _mm256_set1_epi8(8));
}

STRATA_AVX2_INLINE __m256i strata_unpack_q5_0(const strata_block_q5_0 *b) {
    // Where the fifth bit is clear, q - 16 is the nibble with the top four bits set.
    const __m256i clear = _mm256_andnot_si256(strata_bits_to_bytes_32(b->qh), _mm256_set1_epi8((char)0xf0));
    return _mm256_or_si256(strata_nibbles_32(b->qs), clear);
}

#define STRATA_DEFINE_Q8_0_KERNELS(wfmt, BLOCK)                                                              \
    /* One weight block against block i of each token, into accumulator u (0: even blocks, 1: odd). */      \
    STRATA_AVX2_INLINE void strata_step_##wfmt(const BLOCK *restrict xb, const strata_block_q8_0 *const *y,  \
                                               int64_t i, const int tokens,                                  \
                                               __m256 acc[STRATA_TILE_TOKENS][2], const int u) {             \
        const __m256i qx = strata_unpack_##wfmt(xb);                                                         \
        const __m256i ax = _mm256_sign_epi8(qx, qx);                                                         \
        const float dx = strata_fp16_to_f32_f16c(xb->d);                                                     \
        for (int t = 0; t < tokens; t++) {                                                                   \
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y[t][i].qs);                              \
            const __m256i p16 = _mm256_maddubs_epi16(ax, _mm256_sign_epi8(qy, qx));                          \
            const __m256i p32 = _mm256_madd_epi16(p16, _mm256_set1_epi16(1));                                \
            const __m256 d = _mm256_set1_ps(dx * strata_fp16_to_f32_f16c(y[t][i].d));                        \
            acc[t][u] = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(p32), acc[t][u]);                              \
        }                                                                                                    \
    }                                                                                                        \
                                                                                                             \
    STRATA_AVX2_INLINE void strata_core_##wfmt(int64_t nb, const BLOCK *restrict x,                          \
                                               const strata_block_q8_0 *const *restrict y, const int tokens, \
                                               float *restrict out) {                                        \
        __m256 acc[STRATA_TILE_TOKENS][2];                                                                   \
        for (int t = 0; t < tokens; t++) acc[t][0] = acc[t][1] = _mm256_setzero_ps();                        \
        int64_t i = 0;                                                                                       \
        for (; i + 2 <= nb; i += 2) {                                                                        \
            strata_step_##wfmt(&x[i], y, i, tokens, acc, 0);                                                 \
            strata_step_##wfmt(&x[i + 1], y, i + 1, tokens, acc, 1);                                         \
        }                                                                                                    \
        if (i < nb) strata_step_##wfmt(&x[i], y, i, tokens, acc, 0);                                         \
        for (int t = 0; t < tokens; t++) out[t] = strata_hsum_f32x8(_mm256_add_ps(acc[t][0], acc[t][1]));    \
    }                                                                                                        \
                                                                                                             \
    STRATA_DEFINE_AVX2_DOT_AND_TILE(strata_vec_dot_##wfmt##_q8_0_avx2, strata_mul_tile_##wfmt##_q8_0_avx2,     \
                                    strata_core_##wfmt, BLOCK, strata_block_q8_0, STRATA_QK)

STRATA_DEFINE_Q8_0_KERNELS(q8_0, strata_block_q8_0)
STRATA_DEFINE_Q8_0_KERNELS(q4_0, strata_block_q4_0)
STRATA_DEFINE_Q8_0_KERNELS(q5_0, strata_block_q5_0)

#endif
