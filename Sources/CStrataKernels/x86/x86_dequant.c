// AVX2 dequantization. Each multiplies exactly as its generic twin does (no fused multiply-add),
// so results are bit-identical to the reference.

#include "x86_common.h"

#if defined(__x86_64__)

/// dst[0..<32] = d * (float)q[0..<32] for 32 signed bytes.
STRATA_AVX2_INLINE void strata_store_scaled_i8x32(__m256i q, __m256 d, float *dst) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    _mm256_storeu_ps(dst + 0, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo))));
    _mm256_storeu_ps(dst + 8, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8)))));
    _mm256_storeu_ps(dst + 16, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi))));
    _mm256_storeu_ps(dst + 24, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8)))));
}

/// dst[0..<32] = d * (float)q - m for 32 unsigned bytes (multiply, then subtract: two roundings).
STRATA_AVX2_INLINE void strata_store_scaled_u8x32_minus(__m256i q, __m256 d, __m256 m, float *dst) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
    for (int k = 0; k < 4; k++) {
        const __m256 v = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(parts[k]));
        _mm256_storeu_ps(dst + 8 * k, _mm256_sub_ps(_mm256_mul_ps(d, v), m));
    }
}

STRATA_AVX2 void strata_dequantize_row_f16_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_fp16 *x = src;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < n; i++) dst[i] = strata_fp16_to_f32(x[i]);
}

STRATA_AVX2 void strata_dequantize_row_bf16_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_bf16 *x = src;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(x + i)));
        _mm256_storeu_ps(dst + i, _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16)));
    }
    for (; i < n; i++) dst[i] = strata_bf16_to_f32(x[i]);
}

STRATA_AVX2 void strata_dequantize_row_q8_0_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q8_0 *x = src;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const __m256 d = _mm256_set1_ps(strata_fp16_to_f32_f16c(x[i].d));
        strata_store_scaled_i8x32(_mm256_loadu_si256((const __m256i *)x[i].qs), d, dst + i * STRATA_QK);
    }
}

STRATA_AVX2 void strata_dequantize_row_q4_0_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q4_0 *x = src;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const __m256 d = _mm256_set1_ps(strata_fp16_to_f32_f16c(x[i].d));
        const __m256i q = _mm256_sub_epi8(strata_nibbles_32(x[i].qs), _mm256_set1_epi8(8));
        strata_store_scaled_i8x32(q, d, dst + i * STRATA_QK);
    }
}

STRATA_AVX2 void strata_dequantize_row_q5_0_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q5_0 *x = src;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const __m256 d = _mm256_set1_ps(strata_fp16_to_f32_f16c(x[i].d));
        // Where the fifth bit is clear, q - 16 is the nibble with the top four bits set.
        const __m256i clear = _mm256_andnot_si256(strata_bits_to_bytes_32(x[i].qh), _mm256_set1_epi8((char)0xf0));
        strata_store_scaled_i8x32(_mm256_or_si256(strata_nibbles_32(x[i].qs), clear), d, dst + i * STRATA_QK);
    }
}

STRATA_AVX2 void strata_dequantize_row_q4_K_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q4_K *x = src;
    const __m256i low4 = _mm256_set1_epi8(0x0f);
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float d = strata_fp16_to_f32_f16c(x[i].d), dmin = strata_fp16_to_f32_f16c(x[i].dmin);
        uint8_t sm[16];
        strata_k_unpack_scales(x[i].scales, sm);
        for (int chunk = 0; chunk < 4; chunk++) {
            const __m256i bits = _mm256_loadu_si256((const __m256i *)(x[i].qs + 32 * chunk));
            float *out = dst + i * STRATA_QK_K + 64 * chunk;
            strata_store_scaled_u8x32_minus(_mm256_and_si256(bits, low4), _mm256_set1_ps(d * (float)sm[2 * chunk]),
                                            _mm256_set1_ps(dmin * (float)sm[8 + 2 * chunk]), out);
            strata_store_scaled_u8x32_minus(_mm256_and_si256(_mm256_srli_epi16(bits, 4), low4),
                                            _mm256_set1_ps(d * (float)sm[2 * chunk + 1]),
                                            _mm256_set1_ps(dmin * (float)sm[8 + 2 * chunk + 1]), out + 32);
        }
    }
}

STRATA_AVX2 void strata_dequantize_row_q5_K_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q5_K *x = src;
    const __m256i low4 = _mm256_set1_epi8(0x0f), bit0 = _mm256_set1_epi8(1);
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float d = strata_fp16_to_f32_f16c(x[i].d), dmin = strata_fp16_to_f32_f16c(x[i].dmin);
        uint8_t sm[16];
        strata_k_unpack_scales(x[i].scales, sm);
        const __m256i high = _mm256_loadu_si256((const __m256i *)x[i].qh);
        for (int chunk = 0; chunk < 4; chunk++) {
            const __m256i bits = _mm256_loadu_si256((const __m256i *)(x[i].qs + 32 * chunk));
            const __m128i shift_lo = _mm_cvtsi32_si128(2 * chunk), shift_hi = _mm_cvtsi32_si128(2 * chunk + 1);
            const __m256i h_lo = _mm256_slli_epi16(_mm256_and_si256(_mm256_srl_epi16(high, shift_lo), bit0), 4);
            const __m256i h_hi = _mm256_slli_epi16(_mm256_and_si256(_mm256_srl_epi16(high, shift_hi), bit0), 4);
            float *out = dst + i * STRATA_QK_K + 64 * chunk;
            strata_store_scaled_u8x32_minus(_mm256_or_si256(_mm256_and_si256(bits, low4), h_lo),
                                            _mm256_set1_ps(d * (float)sm[2 * chunk]),
                                            _mm256_set1_ps(dmin * (float)sm[8 + 2 * chunk]), out);
            strata_store_scaled_u8x32_minus(
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bits, 4), low4), h_hi),
                _mm256_set1_ps(d * (float)sm[2 * chunk + 1]), _mm256_set1_ps(dmin * (float)sm[8 + 2 * chunk + 1]),
                out + 32);
        }
    }
}

STRATA_AVX2 void strata_dequantize_row_q6_K_avx2(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q6_K *x = src;
    const __m256i low4 = _mm256_set1_epi8(0x0f), low2 = _mm256_set1_epi8(3), offset = _mm256_set1_epi8(32);
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float d = strata_fp16_to_f32_f16c(x[i].d);
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = x[i].ql + 64 * half, *qh = x[i].qh + 32 * half;
            const int8_t *sc = x[i].scales + 8 * half;
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
            float *out = dst + i * STRATA_QK_K + 128 * half;
            for (int k = 0; k < 4; k++) {
                // 32 elements spanning sub-blocks 2k (first 16) and 2k + 1 (next 16) of this half.
                const __m256i v = _mm256_sub_epi8(q[k], offset);
                const __m128i lo = _mm256_castsi256_si128(v), hi = _mm256_extracti128_si256(v, 1);
                const __m256 d0 = _mm256_set1_ps(d * (float)sc[2 * k]), d1 = _mm256_set1_ps(d * (float)sc[2 * k + 1]);
                float *o = out + 32 * k;
                _mm256_storeu_ps(o + 0, _mm256_mul_ps(d0, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo))));
                _mm256_storeu_ps(o + 8, _mm256_mul_ps(d0, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8)))));
                _mm256_storeu_ps(o + 16, _mm256_mul_ps(d1, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi))));
                _mm256_storeu_ps(o + 24, _mm256_mul_ps(d1, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8)))));
            }
        }
    }
}

#endif
