// Scalar reference of fp16 attention (see strata_attention.h).

#include <math.h>

#include "../kernels_internal.h"
#include "strata_attention.h"

#pragma clang fp contract(off)

void strata_f32_to_fp16_row_ref(const float *src, strata_fp16 *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] = strata_f32_to_fp16(src[i]);
}

static float dot_f16_ref(int64_t n, const strata_fp16 *a, const strata_fp16 *b) {
    double sum = 0;
    for (int64_t i = 0; i < n; i++) sum += (double)(strata_fp16_to_f32(a[i]) * strata_fp16_to_f32(b[i]));
    return (float)sum;
}

void strata_attend_f16_ref(int64_t head_size, int64_t count, const float *query, float query_scale,
                           float score_scale, const strata_fp16 *const *keys,
                           const strata_fp16 *const *values, strata_fp16 *scratch, float *out) {
    strata_fp16 *q16 = scratch;
    strata_fp16 *accumulator = scratch + head_size;
    for (int64_t i = 0; i < head_size; i++) {
        q16[i] = strata_f32_to_fp16(query[i] * query_scale);
        accumulator[i] = 0;
    }
    float maximum = -INFINITY, total = 0;
    for (int64_t p = 0; p < count; p++) {
        const float score = dot_f16_ref(head_size, q16, keys[p]) * score_scale;
        float rescale = 1, weight = 1;
        if (score > maximum) {
            rescale = expf(maximum - score);
            maximum = score;
            for (int64_t i = 0; i < head_size; i++)
                accumulator[i] = strata_f32_to_fp16(strata_fp16_to_f32(accumulator[i]) * rescale);
        } else {
            weight = expf(score - maximum);
        }
        const strata_fp16 *value = values[p];
        for (int64_t i = 0; i < head_size; i++) {
            const float sum = fmaf(strata_fp16_to_f32(value[i]), weight, strata_fp16_to_f32(accumulator[i]));
            accumulator[i] = strata_f32_to_fp16(sum);
        }
        total = total * rescale + weight;
    }
    const float inverse = total == 0 ? 0 : 1 / total;
    for (int64_t i = 0; i < head_size; i++) out[i] = strata_fp16_to_f32(accumulator[i]) * inverse;
}

static const strata_attention_kernels reference_kernels = {
    .name = "reference",
    .attend = strata_attend_f16_ref,
    .to_fp16 = strata_f32_to_fp16_row_ref,
};

const strata_attention_kernels *strata_attention_reference(void) { return &reference_kernels; }

const strata_attention_kernels *strata_attention_best(void) {
#if defined(__x86_64__)
    static const strata_attention_kernels avx2_kernels = {
        .name = "avx2",
        .attend = strata_attend_f16_avx2,
        .to_fp16 = strata_f32_to_fp16_row_avx2,
    };
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        return &avx2_kernels;
#endif
    return &reference_kernels;
}
