// Reference weight quantizers for the float and 32-element formats (F16, BF16, Q8_0, Q4_0, Q5_0),
// in the spirit of ggml's plain reference quantizers. Used for round-trip tests and synthetic data.

#include "../kernels_internal.h"

#pragma clang fp contract(off)

void strata_quantize_row_f16_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_fp16 *y = dst;
    for (int64_t i = 0; i < n; i++) y[i] = strata_f32_to_fp16(src[i]);
}

void strata_quantize_row_bf16_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_bf16 *y = dst;
    for (int64_t i = 0; i < n; i++) y[i] = strata_f32_to_bf16(src[i]);
}

void strata_quantize_row_q8_0_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_quantize_row_q8_0(src, dst, n);
}

/// The element of largest magnitude, with its sign (the first one on ties).
static float strata_signed_absmax(const float *x, int n) {
    float amax = 0, max = 0;
    for (int j = 0; j < n; j++) {
        if (fabsf(x[j]) > amax) {
            amax = fabsf(x[j]);
            max = x[j];
        }
    }
    return max;
}

void strata_quantize_row_q4_0_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q4_0 *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float *x = src + i * STRATA_QK;
        // Map the extreme element to -8 so the full range -8...7 is used on its side.
        const float d = strata_signed_absmax(x, STRATA_QK) / -8.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[i].d = strata_f32_to_fp16(d);
        for (int j = 0; j < STRATA_QK / 2; j++) {
            const int q0 = STRATA_MIN(15, (int)(x[j] * id + 8.5f));
            const int q1 = STRATA_MIN(15, (int)(x[j + STRATA_QK / 2] * id + 8.5f));
            y[i].qs[j] = (uint8_t)(q0 | (q1 << 4));
        }
    }
}

void strata_quantize_row_q5_0_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q5_0 *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float *x = src + i * STRATA_QK;
        const float d = strata_signed_absmax(x, STRATA_QK) / -16.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[i].d = strata_f32_to_fp16(d);
        uint32_t qh = 0;
        for (int j = 0; j < STRATA_QK / 2; j++) {
            const int q0 = STRATA_MIN(31, (int)(x[j] * id + 16.5f));
            const int q1 = STRATA_MIN(31, (int)(x[j + STRATA_QK / 2] * id + 16.5f));
            y[i].qs[j] = (uint8_t)((q0 & 0x0f) | ((q1 & 0x0f) << 4));
            qh |= (uint32_t)(q0 >> 4) << j;
            qh |= (uint32_t)(q1 >> 4) << (j + STRATA_QK / 2);
        }
        memcpy(y[i].qh, &qh, sizeof qh);
    }
}
