// AVX2 + FMA + F16C fp16 attention (see strata_attention.h). Mirrors ggml's vector shapes:
// four 8-lane f32 accumulators for q·k, FMA into fp16 accumulators for the values.

#if defined(__x86_64__)

#include <math.h>

#include "x86_common.h"
#include "strata_attention.h"

STRATA_AVX2 void strata_f32_to_fp16_row_avx2(const float *src, strata_fp16 *dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_si128((__m128i *)(dst + i), h);
    }
    for (; i < n; i++) dst[i] = strata_f32_to_fp16(src[i]);
}

STRATA_AVX2_INLINE __m256 load_f16x8(const strata_fp16 *p) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
}

STRATA_AVX2_INLINE void store_f16x8(strata_fp16 *p, __m256 v) {
    _mm_storeu_si128((__m128i *)p, _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
}

STRATA_AVX2_INLINE float dot_f16_avx2(int64_t n, const strata_fp16 *a, const strata_fp16 *b) {
    __m256 sum[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int j = 0; j < 4; j++)
            sum[j] = _mm256_fmadd_ps(load_f16x8(a + i + 8 * j), load_f16x8(b + i + 8 * j), sum[j]);
    }
    sum[0] = _mm256_add_ps(sum[0], sum[2]);
    sum[1] = _mm256_add_ps(sum[1], sum[3]);
    sum[0] = _mm256_add_ps(sum[0], sum[1]);
    float result = strata_hsum_f32x8(sum[0]);
    for (; i < n; i++) result += strata_fp16_to_f32_f16c(a[i]) * strata_fp16_to_f32_f16c(b[i]);
    return result;
}

STRATA_AVX2 void strata_attend_f16_avx2(int64_t head_size, int64_t count, const float *query, float query_scale,
                                        float score_scale, const strata_fp16 *const *keys,
                                        const strata_fp16 *const *values, strata_fp16 *scratch, float *out) {
    strata_fp16 *q16 = scratch;
    strata_fp16 *accumulator = scratch + head_size;
    const int64_t vector_end = head_size / 8 * 8;
    for (int64_t i = 0; i < head_size; i++) {
        q16[i] = strata_f32_to_fp16(query[i] * query_scale);
        accumulator[i] = 0;
    }
    float maximum = -INFINITY, total = 0;
    for (int64_t p = 0; p < count; p++) {
        const float score = dot_f16_avx2(head_size, q16, keys[p]) * score_scale;
        float rescale = 1, weight = 1;
        if (score > maximum) {
            rescale = expf(maximum - score);
            maximum = score;
            const __m256 factor = _mm256_set1_ps(rescale);
            for (int64_t i = 0; i < vector_end; i += 8)
                store_f16x8(accumulator + i, _mm256_mul_ps(load_f16x8(accumulator + i), factor));
            for (int64_t i = vector_end; i < head_size; i++)
                accumulator[i] = strata_f32_to_fp16(strata_fp16_to_f32(accumulator[i]) * rescale);
        } else {
            weight = expf(score - maximum);
        }
        const strata_fp16 *value = values[p];
        const __m256 factor = _mm256_set1_ps(weight);
        for (int64_t i = 0; i < vector_end; i += 8)
            store_f16x8(accumulator + i, _mm256_fmadd_ps(load_f16x8(value + i), factor, load_f16x8(accumulator + i)));
        for (int64_t i = vector_end; i < head_size; i++)
            accumulator[i] = strata_f32_to_fp16(fmaf(strata_fp16_to_f32(value[i]), weight, strata_fp16_to_f32(accumulator[i])));
        total = total * rescale + weight;
    }
    const float inverse = total == 0 ? 0 : 1 / total;
    for (int64_t i = 0; i < head_size; i++) out[i] = strata_fp16_to_f32(accumulator[i]) * inverse;
}

#endif
