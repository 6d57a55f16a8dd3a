// Scalar dequantization: weight rows -> f32. The reference for x86/x86_dequant.c.

#include "../kernels_internal.h"

#pragma clang fp contract(off)

void strata_dequantize_row_f32_ref(const void *restrict src, float *restrict dst, int64_t n) {
    memcpy(dst, src, (size_t)n * sizeof(float));
}

void strata_dequantize_row_f16_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_fp16 *x = src;
    for (int64_t i = 0; i < n; i++) dst[i] = strata_fp16_to_f32(x[i]);
}

void strata_dequantize_row_bf16_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_bf16 *x = src;
    for (int64_t i = 0; i < n; i++) dst[i] = strata_bf16_to_f32(x[i]);
}

void strata_dequantize_row_q8_0_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q8_0 *x = src;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float d = strata_fp16_to_f32(x[i].d);
        for (int j = 0; j < STRATA_QK; j++) dst[j] = d * (float)x[i].qs[j];
        dst += STRATA_QK;
    }
}

void strata_dequantize_row_q4_0_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q4_0 *x = src;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float d = strata_fp16_to_f32(x[i].d);
        for (int j = 0; j < STRATA_QK / 2; j++) {
            dst[j] = d * (float)((x[i].qs[j] & 0x0f) - 8);
            dst[j + STRATA_QK / 2] = d * (float)((x[i].qs[j] >> 4) - 8);
        }
        dst += STRATA_QK;
    }
}

void strata_dequantize_row_q5_0_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q5_0 *x = src;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        const float d = strata_fp16_to_f32(x[i].d);
        uint32_t qh;
        memcpy(&qh, x[i].qh, sizeof qh);
        for (int j = 0; j < STRATA_QK / 2; j++) {
            const int hi0 = (int)((qh >> j) & 1u) << 4;
            const int hi1 = (int)((qh >> (j + 16)) & 1u) << 4;
            dst[j] = d * (float)(((x[i].qs[j] & 0x0f) | hi0) - 16);
            dst[j + STRATA_QK / 2] = d * (float)(((x[i].qs[j] >> 4) | hi1) - 16);
        }
        dst += STRATA_QK;
    }
}

void strata_dequantize_row_q4_K_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q4_K *x = src;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float d = strata_fp16_to_f32(x[i].d);
        const float dmin = strata_fp16_to_f32(x[i].dmin);
        const uint8_t *q = x[i].qs;
        for (int chunk = 0; chunk < 4; chunk++) {  // 64 elements: two sub-blocks sharing 32 bytes
            uint8_t sc, m;
            strata_k_scale_min(2 * chunk, x[i].scales, &sc, &m);
            const float d1 = d * (float)sc, m1 = dmin * (float)m;
            strata_k_scale_min(2 * chunk + 1, x[i].scales, &sc, &m);
            const float d2 = d * (float)sc, m2 = dmin * (float)m;
            for (int l = 0; l < 32; l++) dst[l] = d1 * (float)(q[l] & 0x0f) - m1;
            for (int l = 0; l < 32; l++) dst[32 + l] = d2 * (float)(q[l] >> 4) - m2;
            q += 32;
            dst += 64;
        }
    }
}

void strata_dequantize_row_q5_K_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q5_K *x = src;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float d = strata_fp16_to_f32(x[i].d);
        const float dmin = strata_fp16_to_f32(x[i].dmin);
        const uint8_t *ql = x[i].qs;
        const uint8_t *qh = x[i].qh;
        for (int chunk = 0; chunk < 4; chunk++) {
            uint8_t sc, m;
            strata_k_scale_min(2 * chunk, x[i].scales, &sc, &m);
            const float d1 = d * (float)sc, m1 = dmin * (float)m;
            strata_k_scale_min(2 * chunk + 1, x[i].scales, &sc, &m);
            const float d2 = d * (float)sc, m2 = dmin * (float)m;
            const uint8_t bit_lo = (uint8_t)(1u << (2 * chunk)), bit_hi = (uint8_t)(2u << (2 * chunk));
            for (int l = 0; l < 32; l++) {
                dst[l] = d1 * (float)((ql[l] & 0x0f) + ((qh[l] & bit_lo) ? 16 : 0)) - m1;
            }
            for (int l = 0; l < 32; l++) {
                dst[32 + l] = d2 * (float)((ql[l] >> 4) + ((qh[l] & bit_hi) ? 16 : 0)) - m2;
            }
            ql += 32;
            dst += 64;
        }
    }
}

void strata_dequantize_row_q6_K_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q6_K *x = src;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float d = strata_fp16_to_f32(x[i].d);
        const uint8_t *ql = x[i].ql;
        const uint8_t *qh = x[i].qh;
        const int8_t *sc = x[i].scales;
        for (int half = 0; half < 2; half++) {  // 128 elements: 64 bytes of ql, 32 of qh, 8 scales
            for (int l = 0; l < 32; l++) {
                const int s = l / 16;
                const int q1 = (int)((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = (int)((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = (int)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = (int)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                dst[l] = d * (float)sc[s] * (float)q1;
                dst[l + 32] = d * (float)sc[s + 2] * (float)q2;
                dst[l + 64] = d * (float)sc[s + 4] * (float)q3;
                dst[l + 96] = d * (float)sc[s + 6] * (float)q4;
            }
            ql += 64;
            qh += 32;
            sc += 8;
            dst += 128;
        }
    }
}

void strata_dequantize_row_q8_K_ref(const void *restrict src, float *restrict dst, int64_t n) {
    const strata_block_q8_K *x = src;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        for (int j = 0; j < STRATA_QK_K; j++) dst[j] = x[i].d * (float)x[i].qs[j];
        dst += STRATA_QK_K;
    }
}
