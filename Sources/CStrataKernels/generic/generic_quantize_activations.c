// Activation quantizers: f32 rows -> the format each weight format is multiplied with.
// The AVX2 twins (x86/x86_quantize.c) produce the same bytes, so activations are identical on all paths.

#include "../kernels_internal.h"

#pragma clang fp contract(off)

void strata_quantize_row_q8_0(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q8_0 *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float *x = src + i * STRATA_QK;
        float amax = 0;
        for (int j = 0; j < STRATA_QK; j++) amax = STRATA_MAX(amax, fabsf(x[j]));
        const float d = amax / 127.0f;
        // As ggml's x86 path computes it (127 / amax, round half to even), not its scalar
        // reference (1 / d, round half away): activations with outliers quantize coarsely, and
        // this rounding decides which side of a tie a value lands on, so matching it keeps
        // Strata's logits next to llama.cpp's.
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        y[i].d = strata_f32_to_fp16(d);
        // strata_nearest_int rounds half to even like nearbyintf, without a libm call per element.
        for (int j = 0; j < STRATA_QK; j++) y[i].qs[j] = (int8_t)strata_nearest_int(x[j] * id);
    }
}

void strata_quantize_row_q8_K(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q8_K *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float *x = src + i * STRATA_QK_K;
        float max = 0, amax = 0;
        for (int j = 0; j < STRATA_QK_K; j++) {
            const float ax = fabsf(x[j]);
            if (ax > amax) {
                amax = ax;
                max = x[j];
            }
        }
        if (amax == 0.0f) {
            memset(&y[i], 0, sizeof y[i]);
            continue;
        }
        const float iscale = -127.0f / max;
        for (int j = 0; j < STRATA_QK_K; j++) {
            const int v = strata_nearest_int(iscale * x[j]);
            y[i].qs[j] = (int8_t)STRATA_MIN(127, v);
        }
        for (int s = 0; s < STRATA_QK_K / 16; s++) {
            int sum = 0;
            for (int l = 0; l < 16; l++) sum += y[i].qs[16 * s + l];
            y[i].bsums[s] = (int16_t)sum;
        }
        y[i].d = 1.0f / iscale;
    }
}

void strata_quantize_row_f32(const float *restrict src, void *restrict dst, int64_t n) {
    memcpy(dst, src, (size_t)n * sizeof(float));
}
