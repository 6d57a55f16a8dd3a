// Scalar dot products (weights · activations): the reference for x86/x86_dot_*.c.
//
// Float weights take f32 activations and accumulate in double (the ground truth).
// Quantized weights take quantized activations: the integer sum of each block is exact,
// then blocks are accumulated in float in order, as ggml's scalar code does.

#include "../kernels_internal.h"

#pragma clang fp contract(off)

float strata_vec_dot_f32_f32_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const float *x = w, *y = a;
    double sum = 0;
    for (int64_t i = 0; i < n; i++) sum += (double)x[i] * (double)y[i];
    return (float)sum;
}

float strata_vec_dot_f16_f32_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_fp16 *x = w;
    const float *y = a;
    double sum = 0;
    for (int64_t i = 0; i < n; i++) sum += (double)strata_fp16_to_f32(x[i]) * (double)y[i];
    return (float)sum;
}

float strata_vec_dot_bf16_f32_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_bf16 *x = w;
    const float *y = a;
    double sum = 0;
    for (int64_t i = 0; i < n; i++) sum += (double)strata_bf16_to_f32(x[i]) * (double)y[i];
    return (float)sum;
}

float strata_vec_dot_q8_0_q8_0_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_block_q8_0 *x = w, *y = a;
    float sum = 0;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        int32_t sumi = 0;
        for (int j = 0; j < STRATA_QK; j++) sumi += (int32_t)x[i].qs[j] * (int32_t)y[i].qs[j];
        sum += strata_fp16_to_f32(x[i].d) * strata_fp16_to_f32(y[i].d) * (float)sumi;
    }
    return sum;
}

float strata_vec_dot_q4_0_q8_0_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_block_q4_0 *x = w;
    const strata_block_q8_0 *y = a;
    float sum = 0;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        int32_t sumi = 0;
        for (int j = 0; j < STRATA_QK / 2; j++) {
            sumi += ((x[i].qs[j] & 0x0f) - 8) * (int32_t)y[i].qs[j];
            sumi += ((x[i].qs[j] >> 4) - 8) * (int32_t)y[i].qs[j + STRATA_QK / 2];
        }
        sum += strata_fp16_to_f32(x[i].d) * strata_fp16_to_f32(y[i].d) * (float)sumi;
    }
    return sum;
}

float strata_vec_dot_q5_0_q8_0_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_block_q5_0 *x = w;
    const strata_block_q8_0 *y = a;
    float sum = 0;
    for (int64_t i = 0; i < n / STRATA_QK; i++) {
        uint32_t qh;
        memcpy(&qh, x[i].qh, sizeof qh);
        int32_t sumi = 0;
        for (int j = 0; j < STRATA_QK / 2; j++) {
            const int q0 = ((x[i].qs[j] & 0x0f) | (int)(((qh >> j) & 1u) << 4)) - 16;
            const int q1 = ((x[i].qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1u) << 4)) - 16;
            sumi += q0 * (int32_t)y[i].qs[j] + q1 * (int32_t)y[i].qs[j + STRATA_QK / 2];
        }
        sum += strata_fp16_to_f32(x[i].d) * strata_fp16_to_f32(y[i].d) * (float)sumi;
    }
    return sum;
}

/// Σ sc[j] * (Σ q·y over sub-block j) and Σ m[j] * (y sum of sub-block j) for one Q4_K / Q5_K block,
/// given its 256 unsigned quants in element order.
static void strata_k_block_sums(const uint8_t q[STRATA_QK_K], const uint8_t scales[STRATA_K_SCALE_SIZE],
                                const strata_block_q8_K *restrict y, int32_t *sumi, int32_t *summs) {
    uint8_t sm[16];
    strata_k_unpack_scales(scales, sm);
    int32_t s = 0, m = 0;
    for (int j = 0; j < 8; j++) {
        int32_t dot = 0;
        for (int l = 0; l < 32; l++) dot += (int32_t)q[32 * j + l] * (int32_t)y->qs[32 * j + l];
        s += (int32_t)sm[j] * dot;
        m += (int32_t)sm[8 + j] * ((int32_t)y->bsums[2 * j] + (int32_t)y->bsums[2 * j + 1]);
    }
    *sumi = s;
    *summs = m;
}

float strata_vec_dot_q4_K_q8_K_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_block_q4_K *x = w;
    const strata_block_q8_K *y = a;
    float sum = 0;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        uint8_t q[STRATA_QK_K];
        for (int chunk = 0; chunk < 4; chunk++) {
            for (int l = 0; l < 32; l++) {
                q[64 * chunk + l] = x[i].qs[32 * chunk + l] & 0x0f;
                q[64 * chunk + 32 + l] = x[i].qs[32 * chunk + l] >> 4;
            }
        }
        int32_t sumi, summs;
        strata_k_block_sums(q, x[i].scales, &y[i], &sumi, &summs);
        const float d = strata_fp16_to_f32(x[i].d) * y[i].d;
        const float dmin = strata_fp16_to_f32(x[i].dmin) * y[i].d;
        sum += d * (float)sumi - dmin * (float)summs;
    }
    return sum;
}

float strata_vec_dot_q5_K_q8_K_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_block_q5_K *x = w;
    const strata_block_q8_K *y = a;
    float sum = 0;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        uint8_t q[STRATA_QK_K];
        for (int chunk = 0; chunk < 4; chunk++) {
            for (int l = 0; l < 32; l++) {
                const uint8_t h = x[i].qh[l];
                q[64 * chunk + l] = (uint8_t)((x[i].qs[32 * chunk + l] & 0x0f) | (((h >> (2 * chunk)) & 1) << 4));
                q[64 * chunk + 32 + l] = (uint8_t)((x[i].qs[32 * chunk + l] >> 4) | (((h >> (2 * chunk + 1)) & 1) << 4));
            }
        }
        int32_t sumi, summs;
        strata_k_block_sums(q, x[i].scales, &y[i], &sumi, &summs);
        const float d = strata_fp16_to_f32(x[i].d) * y[i].d;
        const float dmin = strata_fp16_to_f32(x[i].dmin) * y[i].d;
        sum += d * (float)sumi - dmin * (float)summs;
    }
    return sum;
}

float strata_vec_dot_q6_K_q8_K_ref(int64_t n, const void *restrict w, const void *restrict a) {
    const strata_block_q6_K *x = w;
    const strata_block_q8_K *y = a;
    float sum = 0;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        int8_t q[STRATA_QK_K];  // signed quants (q - 32) in element order
        const uint8_t *ql = x[i].ql, *qh = x[i].qh;
        for (int half = 0; half < 2; half++) {
            for (int l = 0; l < 32; l++) {
                int8_t *o = q + 128 * half;
                o[l] = (int8_t)(((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32);
                o[l + 32] = (int8_t)(((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32);
                o[l + 64] = (int8_t)(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
                o[l + 96] = (int8_t)(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
            }
            ql += 64;
            qh += 32;
        }
        int32_t sumi = 0;
        for (int s = 0; s < 16; s++) {
            int32_t dot = 0;
            for (int l = 0; l < 16; l++) dot += (int32_t)q[16 * s + l] * (int32_t)y[i].qs[16 * s + l];
            sumi += (int32_t)x[i].scales[s] * dot;
        }
        sum += strata_fp16_to_f32(x[i].d) * y[i].d * (float)sumi;
    }
    return sum;
}

STRATA_DEFINE_LOOP_TILE(f32_f32_ref, strata_vec_dot_f32_f32_ref, )
STRATA_DEFINE_LOOP_TILE(f16_f32_ref, strata_vec_dot_f16_f32_ref, )
STRATA_DEFINE_LOOP_TILE(bf16_f32_ref, strata_vec_dot_bf16_f32_ref, )
STRATA_DEFINE_LOOP_TILE(q8_0_q8_0_ref, strata_vec_dot_q8_0_q8_0_ref, )
STRATA_DEFINE_LOOP_TILE(q4_0_q8_0_ref, strata_vec_dot_q4_0_q8_0_ref, )
STRATA_DEFINE_LOOP_TILE(q5_0_q8_0_ref, strata_vec_dot_q5_0_q8_0_ref, )
STRATA_DEFINE_LOOP_TILE(q4_K_q8_K_ref, strata_vec_dot_q4_K_q8_K_ref, )
STRATA_DEFINE_LOOP_TILE(q5_K_q8_K_ref, strata_vec_dot_q5_K_q8_K_ref, )
STRATA_DEFINE_LOOP_TILE(q6_K_q8_K_ref, strata_vec_dot_q6_K_q8_K_ref, )
