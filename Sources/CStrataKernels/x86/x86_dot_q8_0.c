// AVX2 dot products of the 32-element formats (Q8_0, Q4_0, Q5_0) with Q8_0 activations.
//
// Per block: weights unpacked to signed bytes, |w| · (a with the sign of w) by maddubs, pairs summed
// to int32 lanes by madd (exact; lane j always holds the sum over bytes 4j..<4j+4), then scaled by
// d_w · d_a into float lanes.
//
// One core serves 1...STRATA_LEGACY_TOKENS tokens: each weight block is unpacked once and every token
// keeps its own accumulators with the same operation sequence. Tiles convert the activations' fp16
// scales once per token group instead of once per row; the floats are the same either way, so a
// tile's outputs equal vec_dot's bit for bit.

#include "x86_common.h"

#if defined(__x86_64__)

#pragma clang fp contract(off)

enum { STRATA_LEGACY_Q8_0, STRATA_LEGACY_Q4_0, STRATA_LEGACY_Q5_0 };

/// Most tokens one weight row is multiplied with at once (each keeps one accumulator register;
/// 8 amortizes the block unpacking best without spilling: Q5_0 GEMM 58 -> 68 GFLOP/s over 4).
#define STRATA_LEGACY_TOKENS 8
_Static_assert(STRATA_LEGACY_TOKENS == 8, "strata_legacy_tile's switch handles 1...8 tokens");

/// Most blocks per row whose activation scales a tile converts up front (16 KiB of stack).
#define STRATA_TILE_MAX_BLOCKS 512
/// Most blocks per row whose Q4_0 / Q5_0 offset lanes a tile precomputes (16 KiB of stack);
/// longer rows use the signed path, which gives the same lanes.
#define STRATA_OFFSET_MAX_BLOCKS 64

STRATA_AVX2_INLINE size_t strata_legacy_block_bytes(const int format) {
    switch (format) {
        case STRATA_LEGACY_Q8_0: return sizeof(strata_block_q8_0);
        case STRATA_LEGACY_Q4_0: return sizeof(strata_block_q4_0);
        default: return sizeof(strata_block_q5_0);
    }
}

/// The 32 quants of a block as signed bytes (every legacy block starts with its fp16 scale).
STRATA_AVX2_INLINE __m256i strata_legacy_unpack(const uint8_t *block, const int format) {
    switch (format) {
        case STRATA_LEGACY_Q8_0:
            return _mm256_loadu_si256((const __m256i *)((const strata_block_q8_0 *)block)->qs);
        case STRATA_LEGACY_Q4_0:
            return _mm256_sub_epi8(strata_nibbles_32(((const strata_block_q4_0 *)block)->qs), _mm256_set1_epi8(8));
        default: {
            const strata_block_q5_0 *b = (const strata_block_q5_0 *)block;
            // Where the fifth bit is clear, q - 16 is the nibble with the top four bits set.
            const __m256i clear = _mm256_andnot_si256(strata_bits_to_bytes_32(b->qh), _mm256_set1_epi8((char)0xf0));
            return _mm256_or_si256(strata_nibbles_32(b->qs), clear);
        }
    }
}

/// The first `count` (< 8) fp16 values `stride` bytes apart -> floats (the rest 0).
STRATA_AVX2_INLINE __m256 strata_gather_fp16_partial(const uint8_t *p, size_t stride, int count) {
    // Inserts, not a small array: 2-byte stores read back as 16 bytes would stall store forwarding.
    __m128i h = _mm_setzero_si128();
    if (count > 0) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 0 * stride), 0);
    if (count > 1) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 1 * stride), 1);
    if (count > 2) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 2 * stride), 2);
    if (count > 3) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 3 * stride), 3);
    if (count > 4) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 4 * stride), 4);
    if (count > 5) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 5 * stride), 5);
    if (count > 6) h = _mm_insert_epi16(h, *(const uint16_t *)(p + 6 * stride), 6);
    return _mm256_cvtph_ps(h);
}

/// Q4_0 / Q5_0 quants as stored (0...15 / 0...31, unsigned), before the offset of 8 / 16.
STRATA_AVX2_INLINE __m256i strata_legacy_unpack_unsigned(const uint8_t *block, const int format) {
    if (format == STRATA_LEGACY_Q4_0) return strata_nibbles_32(((const strata_block_q4_0 *)block)->qs);
    const strata_block_q5_0 *b = (const strata_block_q5_0 *)block;
    const __m256i high = _mm256_and_si256(strata_bits_to_bytes_32(b->qh), _mm256_set1_epi8(0x10));
    return _mm256_or_si256(strata_nibbles_32(b->qs), high);
}

/// 8 fp16 values `stride` bytes apart -> 8 floats.
STRATA_AVX2_INLINE __m256 strata_gather_fp16x8(const uint8_t *p, size_t stride) {
    __m128i h = _mm_setzero_si128();
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 0 * stride), 0);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 1 * stride), 1);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 2 * stride), 2);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 3 * stride), 3);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 4 * stride), 4);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 5 * stride), 5);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 6 * stride), 6);
    h = _mm_insert_epi16(h, *(const uint16_t *)(p + 7 * stride), 7);
    return _mm256_cvtph_ps(h);
}

/// Weight block i against block i of each token, into that token's accumulator.
/// `scale[t * 8]` is d_w · d_a of this block for token t.
///
/// Lane j of the int32 dot always sums bytes 4j..<4j+4, so both ways of computing it give the
/// same lanes: signed (|w| · (a with w's sign)), or, for Q4_0 / Q5_0 when `offsets` is given,
/// stored quants times a minus the precomputed offset lanes (8 or 16 × the sum of those a bytes),
/// which saves the sign operations on the busiest pipes.
STRATA_AVX2_INLINE void strata_legacy_step(const int format, const uint8_t *restrict xb,
                                           const strata_block_q8_0 *const *restrict y,
                                           const __m256i *restrict offsets, int64_t nb, int64_t i,
                                           const float *restrict scale, const int tokens,
                                           __m256 acc[STRATA_LEGACY_TOKENS]) {
    const __m256i ones = _mm256_set1_epi16(1);
    if (format != STRATA_LEGACY_Q8_0 && offsets) {
        const __m256i qu = strata_legacy_unpack_unsigned(xb, format);
        for (int t = 0; t < tokens; t++) {
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y[t][i].qs);
            const __m256i p32 = _mm256_sub_epi32(_mm256_madd_epi16(_mm256_maddubs_epi16(qu, qy), ones),
                                                 _mm256_load_si256(&offsets[t * nb + i]));
            acc[t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&scale[t * 8]), _mm256_cvtepi32_ps(p32), acc[t]);
        }
        return;
    }
    const __m256i qx = strata_legacy_unpack(xb, format);
    const __m256i ax = _mm256_sign_epi8(qx, qx);
    for (int t = 0; t < tokens; t++) {
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[t][i].qs);
        const __m256i p32 = _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(qy, qx)), ones);
        acc[t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&scale[t * 8]), _mm256_cvtepi32_ps(p32), acc[t]);
    }
}

/// One weight row against 1...STRATA_LEGACY_TOKENS activation rows. Block scales are formed 8 blocks
/// at a time (d_w gathered and converted together, times d_a); `dy` holds the activations' scales
/// as floats ([token][block], nb per token) or is NULL to convert them here (same values).
STRATA_AVX2_INLINE void strata_legacy_core(const int format, int64_t nb, const uint8_t *restrict x,
                                           const strata_block_q8_0 *const *restrict y, const float *restrict dy,
                                           const __m256i *restrict offsets, const int tokens, float *restrict out) {
    const size_t bytes = strata_legacy_block_bytes(format);
    // One accumulator per token (indexed by constants only, so it stays in a register): a block
    // takes longer than the FMA latency even for one token.
    __m256 acc[STRATA_LEGACY_TOKENS];
    __attribute__((aligned(32))) float scale[STRATA_LEGACY_TOKENS * 8];
    for (int t = 0; t < tokens; t++) acc[t] = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= nb; i += 8) {
        const __m256 dx = strata_gather_fp16x8(x + (size_t)i * bytes, bytes);
        strata_prefetch_ahead(x + (size_t)i * bytes, 8 * bytes);
        for (int t = 0; t < tokens; t++) {
            const __m256 da = dy ? _mm256_loadu_ps(dy + t * nb + i)
                                 : strata_gather_fp16x8((const uint8_t *)&y[t][i], sizeof(strata_block_q8_0));
            _mm256_store_ps(scale + 8 * t, _mm256_mul_ps(dx, da));
        }
        // Keep the products in memory: broadcasting from memory is a load, from a register a shuffle.
        __asm__("" : : "r"(scale) : "memory");
#pragma clang loop unroll(full)
        for (int j = 0; j < 8; j++) {
            strata_legacy_step(format, x + (size_t)(i + j) * bytes, y, offsets, nb, i + j, scale + j, tokens, acc);
        }
    }
    if (i < nb) {  // the last nb mod 8 blocks: the same products, from partial gathers
        const int rest = (int)(nb - i);
        const __m256i valid = _mm256_cmpgt_epi32(_mm256_set1_epi32(rest), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        const __m256 dx = strata_gather_fp16_partial(x + (size_t)i * bytes, bytes, rest);
        for (int t = 0; t < tokens; t++) {
            const __m256 da = dy ? _mm256_maskload_ps(dy + t * nb + i, valid)
                                 : strata_gather_fp16_partial((const uint8_t *)&y[t][i], sizeof(strata_block_q8_0), rest);
            _mm256_store_ps(scale + 8 * t, _mm256_mul_ps(dx, da));
        }
        __asm__("" : : "r"(scale) : "memory");
        for (int j = 0; j < rest; j++) {
            strata_legacy_step(format, x + (size_t)(i + j) * bytes, y, offsets, nb, i + j, scale + j, tokens, acc);
        }
    }
    for (int t = 0; t < tokens; t++) out[t] = strata_hsum_f32x8(acc[t]);
}

STRATA_AVX2_INLINE float strata_legacy_vec_dot(const int format, int64_t n, const void *restrict w,
                                               const void *restrict a) {
    const strata_block_q8_0 *y[1] = {a};
    float out;
    strata_legacy_core(format, n / STRATA_QK, w, y, NULL, NULL, 1, &out);
    return out;
}

/// Token groups of up to STRATA_LEGACY_TOKENS, outer; rows inner, so the group's activations and
/// converted scales stay in L1 while the tile's weight rows stream past.
STRATA_AVX2_INLINE void strata_legacy_tile(const int format, int64_t n, const void *restrict w, size_t w_stride,
                                           int64_t rows, const void *restrict a, size_t a_stride, int64_t tokens,
                                           float *restrict y, size_t y_stride) {
    const int64_t nb = n / STRATA_QK;
    float dy_storage[STRATA_LEGACY_TOKENS * STRATA_TILE_MAX_BLOCKS];
    const float *dy = nb <= STRATA_TILE_MAX_BLOCKS ? dy_storage : NULL;
    __attribute__((aligned(32))) __m256i offset_storage[STRATA_LEGACY_TOKENS * STRATA_OFFSET_MAX_BLOCKS];
    // Offsets pay off for a single token (matrix-vector); with more, the extra loads cost more than
    // the saved sign operations.
    const __m256i *offsets = format != STRATA_LEGACY_Q8_0 && nb <= STRATA_OFFSET_MAX_BLOCKS && tokens == 1
                                 ? offset_storage : NULL;
    const __m256i offset = _mm256_set1_epi8(format == STRATA_LEGACY_Q4_0 ? 8 : 16);
    for (int64_t t = 0; t < tokens; t += STRATA_LEGACY_TOKENS) {
        const strata_block_q8_0 *ys[STRATA_LEGACY_TOKENS];
        const int count = (int)STRATA_MIN((int64_t)STRATA_LEGACY_TOKENS, tokens - t);
        for (int k = 0; k < count; k++) {
            ys[k] = (const strata_block_q8_0 *)((const char *)a + (size_t)(t + k) * a_stride);
            for (int64_t i = 0; dy && i < nb; i++) dy_storage[k * nb + i] = strata_fp16_to_f32_f16c(ys[k][i].d);
            for (int64_t i = 0; offsets && i < nb; i++) {
                const __m256i qy = _mm256_loadu_si256((const __m256i *)ys[k][i].qs);
                offset_storage[k * nb + i] = _mm256_madd_epi16(_mm256_maddubs_epi16(offset, qy), _mm256_set1_epi16(1));
            }
        }
        for (int64_t r = 0; r < rows; r++) {
            const uint8_t *wr = (const uint8_t *)w + (size_t)r * w_stride;
            float out[STRATA_LEGACY_TOKENS];
            switch (count) {
                case 8: strata_legacy_core(format, nb, wr, ys, dy, NULL, 8, out); break;
                case 7: strata_legacy_core(format, nb, wr, ys, dy, NULL, 7, out); break;
                case 6: strata_legacy_core(format, nb, wr, ys, dy, NULL, 6, out); break;
                case 5: strata_legacy_core(format, nb, wr, ys, dy, NULL, 5, out); break;
                case 4: strata_legacy_core(format, nb, wr, ys, dy, NULL, 4, out); break;
                case 3: strata_legacy_core(format, nb, wr, ys, dy, NULL, 3, out); break;
                case 2: strata_legacy_core(format, nb, wr, ys, dy, NULL, 2, out); break;
                default:
                    if (offsets) {
                        strata_legacy_core(format, nb, wr, ys, dy, offsets, 1, out);
                    } else {
                        strata_legacy_core(format, nb, wr, ys, dy, NULL, 1, out);
                    }
                    break;
            }
            for (int k = 0; k < count; k++) y[(size_t)(t + k) * y_stride + (size_t)r] = out[k];
        }
    }
}

#define STRATA_DEFINE_LEGACY_KERNELS(wfmt, FORMAT)                                                           \
    STRATA_AVX2 float strata_vec_dot_##wfmt##_q8_0_avx2(int64_t n, const void *restrict w,                   \
                                                        const void *restrict a) {                            \
        return strata_legacy_vec_dot(FORMAT, n, w, a);                                                       \
    }                                                                                                        \
    STRATA_AVX2 void strata_mul_tile_##wfmt##_q8_0_avx2(int64_t n, const void *restrict w, size_t w_stride,  \
                                                        int64_t rows, const void *restrict a,                \
                                                        size_t a_stride, int64_t tokens, float *restrict y,  \
                                                        size_t y_stride) {                                   \
        strata_legacy_tile(FORMAT, n, w, w_stride, rows, a, a_stride, tokens, y, y_stride);                  \
    }

STRATA_DEFINE_LEGACY_KERNELS(q8_0, STRATA_LEGACY_Q8_0)
STRATA_DEFINE_LEGACY_KERNELS(q4_0, STRATA_LEGACY_Q4_0)
STRATA_DEFINE_LEGACY_KERNELS(q5_0, STRATA_LEGACY_Q5_0)

#endif
