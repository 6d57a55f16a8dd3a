#ifndef STRATA_X86_COMMON_H
#define STRATA_X86_COMMON_H

// Shared AVX2 helpers. Every function carries the target attribute instead of relying on global
// -mavx2 flags, so the library still loads on x86 CPUs without AVX2 (the table picks the reference).

#if defined(__x86_64__)

#include <immintrin.h>

#include "../kernels_internal.h"

#define STRATA_AVX2 __attribute__((target("avx2,fma,f16c")))
#define STRATA_AVX2_INLINE static inline __attribute__((target("avx2,fma,f16c"), always_inline))

/// How far ahead of the weights being read the kernels prefetch. Matrix-vector products stream
/// weights from DRAM; on the reference machine (Zen 3, 2 cores) 4 KiB ahead lifts a single thread
/// from ~10 to ~13 GB/s on the 262144 x 640 Q8_0 output head.
#ifndef STRATA_PREFETCH_BYTES
#define STRATA_PREFETCH_BYTES 4096
#endif

/// Prefetches the `bytes` bytes STRATA_PREFETCH_BYTES past `p` (prefetches never fault).
STRATA_AVX2_INLINE void strata_prefetch_ahead(const void *p, size_t bytes) {
    for (size_t line = 0; line < bytes; line += 64) {
        _mm_prefetch((const char *)p + STRATA_PREFETCH_BYTES + line, _MM_HINT_T0);
    }
}

/// Most tokens one weight row is multiplied with at once inside a K-format tile kernel
/// (8 amortizes unpacking the weights best: Q4_K/Q6_K GEMM ~76 -> ~89 GFLOP/s over 4).
#define STRATA_TILE_TOKENS 8

STRATA_AVX2_INLINE float strata_hsum_f32x8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

STRATA_AVX2_INLINE float strata_hsum_f32x4(__m128 s) {
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// One half -> float with F16C. Goes through vmovd (which zeroes the register): _cvtsh_ss compiles
/// to a vpinsrw that merges into whatever register is free, often a live accumulator, which chains
/// every conversion to the accumulator's latency (measured: ~2x slower Q5_0 dot products).
STRATA_AVX2_INLINE float strata_fp16_to_f32_f16c(strata_fp16 h) {
    __m128i v = _mm_cvtsi32_si128((int)h);
    __asm__("" : "+x"(v));  // keeps the vmovd: without it LLVM folds the load back into a vpinsrw
    return _mm_cvtss_f32(_mm_cvtph_ps(v));
}

/// Σ x·y of signed bytes (both in -127...127) as 8 int32 lanes, via |x| · (y with the sign of x).
STRATA_AVX2_INLINE __m256i strata_dot_i8_pairs(__m256i x, __m256i y) {
    const __m256i products = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
    return _mm256_madd_epi16(products, _mm256_set1_epi16(1));
}

/// 16 packed bytes -> 32 bytes: the low nibbles (elements 0..<16) then the high nibbles (16..<32).
STRATA_AVX2_INLINE __m256i strata_nibbles_32(const uint8_t *p) {
    const __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
}

/// 32 bits -> 32 bytes: byte k is 0xff when bit k is set, else 0.
STRATA_AVX2_INLINE __m256i strata_bits_to_bytes_32(const uint8_t *p) {
    uint32_t bits;
    memcpy(&bits, p, sizeof bits);
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32((int)bits),
        _mm256_setr_epi64x(0x0000000000000000, 0x0101010101010101, 0x0202020202020202, 0x0303030303030303));
    const __m256i others = _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe);  // every bit except bit (k mod 8)
    return _mm256_cmpeq_epi8(_mm256_or_si256(spread, others), _mm256_set1_epi64x(-1));
}

/// Defines `vec_dot_name` and `mul_tile_name` from `core(nb, x, y[], tokens, out[])`, an always-inline
/// kernel that multiplies one weight row with 1...STRATA_TILE_TOKENS activation rows. The tile calls
/// the core with constant token counts, so every output goes through the same operation sequence
/// as `vec_dot` and matches it bit for bit.
#define STRATA_DEFINE_AVX2_DOT_AND_TILE(vec_dot_name, mul_tile_name, core, WBLOCK, ABLOCK, QK)               \
    STRATA_AVX2 float vec_dot_name(int64_t n, const void *restrict w, const void *restrict a) {              \
        const ABLOCK *y[1] = {a};                                                                            \
        float out;                                                                                           \
        core(n / (QK), w, y, 1, &out);                                                                       \
        return out;                                                                                          \
    }                                                                                                        \
                                                                                                             \
    STRATA_AVX2 void mul_tile_name(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,         \
                                   const void *restrict a, size_t a_stride, int64_t tokens, float *restrict y, \
                                   size_t y_stride) {                                                        \
        const int64_t nb = n / (QK);                                                                         \
        for (int64_t r = 0; r < rows; r++) {                                                                 \
            const WBLOCK *wr = (const WBLOCK *)((const char *)w + (size_t)r * w_stride);                     \
            for (int64_t t = 0; t < tokens; t += STRATA_TILE_TOKENS) {                                       \
                const ABLOCK *ys[STRATA_TILE_TOKENS];                                                        \
                float out[STRATA_TILE_TOKENS];                                                               \
                const int count = (int)STRATA_MIN((int64_t)STRATA_TILE_TOKENS, tokens - t);                  \
                for (int k = 0; k < count; k++) {                                                            \
                    ys[k] = (const ABLOCK *)((const char *)a + (size_t)(t + k) * a_stride);                  \
                }                                                                                            \
                switch (count) {                                                                             \
                    case 8: core(nb, wr, ys, 8, out); break;                                                 \
                    case 7: core(nb, wr, ys, 7, out); break;                                                 \
                    case 6: core(nb, wr, ys, 6, out); break;                                                 \
                    case 5: core(nb, wr, ys, 5, out); break;                                                 \
                    case 4: core(nb, wr, ys, 4, out); break;                                                 \
                    case 3: core(nb, wr, ys, 3, out); break;                                                 \
                    case 2: core(nb, wr, ys, 2, out); break;                                                 \
                    default: core(nb, wr, ys, 1, out); break;                                                \
                }                                                                                            \
                for (int k = 0; k < count; k++) y[(size_t)(t + k) * y_stride + (size_t)r] = out[k];          \
            }                                                                                                \
        }                                                                                                    \
    }

_Static_assert(STRATA_TILE_TOKENS <= 8, "the tile switch in STRATA_DEFINE_AVX2_DOT_AND_TILE handles 1...8 tokens");

#endif
#endif
