// AVX2 dot products of the K formats (Q4_K, Q5_K, Q6_K) with Q8_K activations.
//
// Unsigned weight quants (0..<16, 0..<32, 0..<64) times signed activations by maddubs (no saturation:
// activations stay within -127...127), then madd with the sub-block scales gives exact int32 lanes.
// The Q4_K/Q5_K mins and the Q6_K offset of 32 come from the activations' per-16 sums (bsums).
// Each core handles 1...STRATA_TILE_TOKENS tokens per weight row with the same per-token sequence.

#include "x86_common.h"

#if defined(__x86_64__)

#pragma clang fp contract(off)

/// shuffle_epi8 mask that broadcasts int16 lane j of each 128-bit half.
STRATA_AVX2_INLINE __m256i strata_i16_broadcast_mask(int j) {
    return _mm256_set1_epi16((short)(((2 * j + 1) << 8) | (2 * j)));
}

/// Q4_K / Q5_K packed scales -> 16 int16: the 8 scales (low half) and the 8 mins (high half).
STRATA_AVX2_INLINE __m256i strata_k_scales_mins(const uint8_t packed[STRATA_K_SCALE_SIZE]) {
    uint32_t w[3];
    memcpy(w, packed, sizeof w);
    const uint32_t low6 = 0x3f3f3f3fu, low4 = 0x0f0f0f0fu, low2 = 0x03030303u;
    const uint32_t scales_lo = w[0] & low6;
    const uint32_t scales_hi = (w[2] & low4) | (((w[0] >> 6) & low2) << 4);
    const uint32_t mins_lo = w[1] & low6;
    const uint32_t mins_hi = ((w[2] >> 4) & low4) | (((w[1] >> 6) & low2) << 4);
    return _mm256_cvtepu8_epi16(_mm_set_epi32((int)mins_hi, (int)mins_lo, (int)scales_hi, (int)scales_lo));
}

/// Σ m[j] · (bsums[2j] + bsums[2j + 1]) as 4 int32 lanes.
STRATA_AVX2_INLINE __m128i strata_k_min_products(__m128i mins, const int16_t bsums[16]) {
    const __m256i sums = _mm256_loadu_si256((const __m256i *)bsums);
    const __m128i pairs = _mm_hadd_epi16(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
    return _mm_madd_epi16(mins, pairs);
}

/// Shared Q4_K / Q5_K core; `with_high_bits` adds the fifth bit from qh (Q5_K).
STRATA_AVX2_INLINE void strata_core_q45_K(int64_t nb, const uint8_t *restrict blocks, size_t block_size,
                                          size_t qs_offset, size_t qh_offset, const int with_high_bits,
                                          const strata_block_q8_K *const *restrict y, const int tokens,
                                          float *restrict out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), bit0 = _mm256_set1_epi8(1);
    __m256 acc[STRATA_TILE_TOKENS];
    __m128 acc_m[STRATA_TILE_TOKENS];
    for (int t = 0; t < tokens; t++) {
        acc[t] = _mm256_setzero_ps();
        acc_m[t] = _mm_setzero_ps();
    }
    for (int64_t i = 0; i < nb; i++) {
        const uint8_t *b = blocks + (size_t)i * block_size;
        strata_fp16 dh, dminh;
        memcpy(&dh, b, 2);
        memcpy(&dminh, b + 2, 2);
        const float dx = strata_fp16_to_f32_f16c(dh), dminx = strata_fp16_to_f32_f16c(dminh);
        const __m256i scales_mins = strata_k_scales_mins(b + 4);
        const __m128i mins = _mm256_extracti128_si256(scales_mins, 1);
        const __m256i scales = _mm256_broadcastsi128_si256(_mm256_castsi256_si128(scales_mins));
        const uint8_t *qs = b + qs_offset;
        __m256i high = with_high_bits ? _mm256_loadu_si256((const __m256i *)(b + qh_offset)) : _mm256_setzero_si256();

        __m256i sumi[STRATA_TILE_TOKENS];
        for (int t = 0; t < tokens; t++) {
            sumi[t] = _mm256_setzero_si256();
            const __m128i prod = strata_k_min_products(mins, y[t][i].bsums);
            acc_m[t] = _mm_fmadd_ps(_mm_set1_ps(-dminx * y[t][i].d), _mm_cvtepi32_ps(prod), acc_m[t]);
        }
        for (int j = 0; j < 4; j++) {  // 64 elements: 32 low nibbles (sub-block 2j), 32 high (2j + 1)
            const __m256i scale_lo = _mm256_shuffle_epi8(scales, strata_i16_broadcast_mask(2 * j));
            const __m256i scale_hi = _mm256_shuffle_epi8(scales, strata_i16_broadcast_mask(2 * j + 1));
            const __m256i bits = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
            __m256i q_lo = _mm256_and_si256(bits, low4);
            __m256i q_hi = _mm256_and_si256(_mm256_srli_epi16(bits, 4), low4);
            if (with_high_bits) {
                q_lo = _mm256_or_si256(q_lo, _mm256_slli_epi16(_mm256_and_si256(high, bit0), 4));
                q_hi = _mm256_or_si256(q_hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 1), bit0), 4));
                high = _mm256_srli_epi16(high, 2);
            }
            for (int t = 0; t < tokens; t++) {
                const int8_t *q8 = y[t][i].qs + 64 * j;
                const __m256i p_lo = _mm256_madd_epi16(
                    scale_lo, _mm256_maddubs_epi16(q_lo, _mm256_loadu_si256((const __m256i *)q8)));
                const __m256i p_hi = _mm256_madd_epi16(
                    scale_hi, _mm256_maddubs_epi16(q_hi, _mm256_loadu_si256((const __m256i *)(q8 + 32))));
                sumi[t] = _mm256_add_epi32(sumi[t], _mm256_add_epi32(p_lo, p_hi));
            }
        }
        for (int t = 0; t < tokens; t++) {
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dx * y[t][i].d), _mm256_cvtepi32_ps(sumi[t]), acc[t]);
        }
    }
    for (int t = 0; t < tokens; t++) out[t] = strata_hsum_f32x8(acc[t]) + strata_hsum_f32x4(acc_m[t]);
}

STRATA_AVX2_INLINE void strata_core_q4_K(int64_t nb, const strata_block_q4_K *restrict x,
                                         const strata_block_q8_K *const *restrict y, const int tokens,
                                         float *restrict out) {
    strata_core_q45_K(nb, (const uint8_t *)x, sizeof(strata_block_q4_K), offsetof(strata_block_q4_K, qs), 0, 0,
                      y, tokens, out);
}

STRATA_AVX2_INLINE void strata_core_q5_K(int64_t nb, const strata_block_q5_K *restrict x,
                                         const strata_block_q8_K *const *restrict y, const int tokens,
                                         float *restrict out) {
    strata_core_q45_K(nb, (const uint8_t *)x, sizeof(strata_block_q5_K), offsetof(strata_block_q5_K, qs),
                      offsetof(strata_block_q5_K, qh), 1, y, tokens, out);
}

STRATA_AVX2_INLINE void strata_core_q6_K(int64_t nb, const strata_block_q6_K *restrict x,
                                         const strata_block_q8_K *const *restrict y, const int tokens,
                                         float *restrict out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), low2 = _mm256_set1_epi8(3);
    __m256 acc[STRATA_TILE_TOKENS];
    for (int t = 0; t < tokens; t++) acc[t] = _mm256_setzero_ps();
    for (int64_t i = 0; i < nb; i++) {
        const strata_block_q6_K *b = &x[i];
        const float dx = strata_fp16_to_f32_f16c(b->d);
        const __m256i scales = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)b->scales));

        // Quants are stored as q + 32: take Σ scale · 32 · (sub-block activation sum) off up front.
        __m256i sumi[STRATA_TILE_TOKENS];
        for (int t = 0; t < tokens; t++) {
            const __m256i offsets =
                _mm256_madd_epi16(scales, _mm256_loadu_si256((const __m256i *)y[t][i].bsums));
            sumi[t] = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_slli_epi32(offsets, 5));
        }
        for (int half = 0; half < 2; half++) {  // 128 elements, sub-blocks 8 half ..< 8 half + 8
            const uint8_t *ql = b->ql + 64 * half, *qh = b->qh + 32 * half;
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, low4), _mm256_slli_epi16(_mm256_and_si256(h, low2), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, low4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), low2), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), low2), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), low2), 4));
            // This half's 8 scales in both 128-bit lanes; chunk k needs scale 2k (low lane), 2k + 1 (high lane).
            const __m128i half_scales = half == 0 ? _mm256_castsi256_si128(scales) : _mm256_extracti128_si256(scales, 1);
            const __m256i both = _mm256_broadcastsi128_si256(half_scales);
            for (int k = 0; k < 4; k++) {
                const __m256i mask = _mm256_set_m128i(_mm_set1_epi16((short)(((4 * k + 3) << 8) | (4 * k + 2))),
                                                      _mm_set1_epi16((short)(((4 * k + 1) << 8) | (4 * k))));
                const __m256i scale = _mm256_shuffle_epi8(both, mask);
                for (int t = 0; t < tokens; t++) {
                    const __m256i q8 = _mm256_loadu_si256((const __m256i *)(y[t][i].qs + 128 * half + 32 * k));
                    sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(scale, _mm256_maddubs_epi16(q[k], q8)));
                }
            }
        }
        for (int t = 0; t < tokens; t++) {
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dx * y[t][i].d), _mm256_cvtepi32_ps(sumi[t]), acc[t]);
        }
    }
    for (int t = 0; t < tokens; t++) out[t] = strata_hsum_f32x8(acc[t]);
}

STRATA_DEFINE_AVX2_DOT_AND_TILE(strata_vec_dot_q4_K_q8_K_avx2, strata_mul_tile_q4_K_q8_K_avx2, strata_core_q4_K,
                                strata_block_q4_K, strata_block_q8_K, STRATA_QK_K)
STRATA_DEFINE_AVX2_DOT_AND_TILE(strata_vec_dot_q5_K_q8_K_avx2, strata_mul_tile_q5_K_q8_K_avx2, strata_core_q5_K,
                                strata_block_q5_K, strata_block_q8_K, STRATA_QK_K)
STRATA_DEFINE_AVX2_DOT_AND_TILE(strata_vec_dot_q6_K_q8_K_avx2, strata_mul_tile_q6_K_q8_K_avx2, strata_core_q6_K,
                                strata_block_q6_K, strata_block_q8_K, STRATA_QK_K)

#endif
