// Reference weight quantizers for the K formats (Q4_K, Q5_K, Q6_K), in the spirit of ggml's plain
// reference quantizers: each sub-block gets a weighted least-squares fit of its scale (and min),
// then sub-block scales are themselves quantized to 6 or 8 bits and the elements re-quantized
// against the scales the file will actually hold.

#include "../kernels_internal.h"

#pragma clang fp contract(off)

/// Fits x ≈ scale * L - min_out with L in 0...nmax (min_out >= 0, i.e. the offset is never positive),
/// minimising Σ w (scale L - min - x)². Tries the plain max/min mapping, then `steps` perturbed
/// inverse scales around it, refitting scale and min by least squares for each candidate rounding.
static float strata_fit_scale_min(int n, int nmax, const float *restrict x, const float *restrict w,
                                  uint8_t *restrict L, float *restrict min_out,
                                  float first_step, float step, int steps) {
    float lo = x[0], hi = x[0], sum_w = 0, sum_x = 0;
    for (int i = 0; i < n; i++) {
        lo = STRATA_MIN(lo, x[i]);
        hi = STRATA_MAX(hi, x[i]);
        sum_w += w[i];
        sum_x += w[i] * x[i];
    }
    if (lo > 0) lo = 0;
    if (hi == lo) {
        memset(L, 0, (size_t)n);
        *min_out = -lo;
        return 0;
    }
    float iscale = (float)nmax / (hi - lo);
    float scale = 1 / iscale;
    float best_error = 0;
    for (int i = 0; i < n; i++) {
        const int l = STRATA_MAX(0, STRATA_MIN(nmax, strata_nearest_int(iscale * (x[i] - lo))));
        L[i] = (uint8_t)l;
        const float diff = scale * (float)l + lo - x[i];
        best_error += w[i] * diff * diff;
    }
    uint8_t candidate[STRATA_QK_K];
    for (int s = 0; s <= steps; s++) {
        iscale = (first_step + step * (float)s + (float)nmax) / (hi - lo);
        float sum_l = 0, sum_l2 = 0, sum_xl = 0;
        for (int i = 0; i < n; i++) {
            const int l = STRATA_MAX(0, STRATA_MIN(nmax, strata_nearest_int(iscale * (x[i] - lo))));
            candidate[i] = (uint8_t)l;
            sum_l += w[i] * (float)l;
            sum_l2 += w[i] * (float)l * (float)l;
            sum_xl += w[i] * (float)l * x[i];
        }
        const float det = sum_w * sum_l2 - sum_l * sum_l;
        if (det <= 0) continue;
        float this_scale = (sum_w * sum_xl - sum_x * sum_l) / det;
        float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / det;
        if (this_min > 0) {  // the offset must not be positive: refit the scale alone
            this_min = 0;
            this_scale = sum_xl / sum_l2;
        }
        float error = 0;
        for (int i = 0; i < n; i++) {
            const float diff = this_scale * (float)candidate[i] + this_min - x[i];
            error += w[i] * diff * diff;
        }
        if (error < best_error) {
            memcpy(L, candidate, (size_t)n);
            best_error = error;
            scale = this_scale;
            lo = this_min;
        }
    }
    *min_out = -lo;
    return scale;
}

/// Fits x ≈ scale * (L - nmax) with L in 0..<2 nmax, weighting by x² (large values matter most).
/// Starts from mapping the extreme element to -nmax and tries nearby inverse scales.
static float strata_fit_symmetric(int n, int nmax, const float *restrict x, uint8_t *restrict L) {
    float amax = 0, max = 0;
    for (int i = 0; i < n; i++) {
        if (fabsf(x[i]) > amax) {
            amax = fabsf(x[i]);
            max = x[i];
        }
    }
    if (amax < 1e-30f) {
        memset(L, 0, (size_t)n);
        return 0;
    }
    float best_scale = 0, best_merit = -1;
    for (int s = -9; s <= 9; s++) {
        const float iscale = -((float)nmax + 0.1f * (float)s) / max;
        float sum_lx = 0, sum_l2 = 0;
        for (int i = 0; i < n; i++) {
            const int l = STRATA_MAX(-nmax, STRATA_MIN(nmax - 1, strata_nearest_int(iscale * x[i])));
            const float w = x[i] * x[i];
            sum_lx += w * x[i] * (float)l;
            sum_l2 += w * (float)l * (float)l;
        }
        // The least-squares scale for this rounding is sum_lx / sum_l2 and removes sum_lx² / sum_l2 of error.
        if (sum_l2 > 0 && sum_lx * sum_lx > best_merit * sum_l2) {
            best_merit = sum_lx * sum_lx / sum_l2;
            best_scale = sum_lx / sum_l2;
            for (int i = 0; i < n; i++) {
                const int l = STRATA_MAX(-nmax, STRATA_MIN(nmax - 1, strata_nearest_int(iscale * x[i])));
                L[i] = (uint8_t)(l + nmax);
            }
        }
    }
    return best_scale;
}

/// Packs 6-bit sub-block scales and mins into the 12-byte Q4_K / Q5_K layout (see strata_k_scale_min).
static void strata_k_pack_scales(const uint8_t ls[8], const uint8_t lm[8], uint8_t out[STRATA_K_SCALE_SIZE]) {
    memset(out, 0, STRATA_K_SCALE_SIZE);
    for (int j = 0; j < 8; j++) {
        if (j < 4) {
            out[j] = ls[j];
            out[j + 4] = lm[j];
        } else {
            out[j + 4] = (uint8_t)((ls[j] & 0x0f) | ((lm[j] & 0x0f) << 4));
            out[j - 4] |= (uint8_t)((ls[j] >> 4) << 6);
            out[j] |= (uint8_t)((lm[j] >> 4) << 6);
        }
    }
}

/// Shared body of the Q4_K and Q5_K quantizers: fits 8 sub-blocks of 32 and returns the final
/// quants L (0...nmax) for the block, with d, dmin and the packed scales written out.
static void strata_quantize_k_block(const float *restrict x, int nmax, float first_step, int steps,
                                    strata_fp16 *restrict d_out, strata_fp16 *restrict dmin_out,
                                    uint8_t packed[STRATA_K_SCALE_SIZE], uint8_t L[STRATA_QK_K]) {
    float scales[8], mins[8], weights[32];
    float max_scale = 0, max_min = 0;
    for (int j = 0; j < 8; j++) {
        const float *xs = x + 32 * j;
        float sum_x2 = 0;
        for (int l = 0; l < 32; l++) sum_x2 += xs[l] * xs[l];
        const float av_x = sqrtf(sum_x2 / 32);
        for (int l = 0; l < 32; l++) weights[l] = av_x + fabsf(xs[l]);
        scales[j] = strata_fit_scale_min(32, nmax, xs, weights, L + 32 * j, &mins[j], first_step, 0.1f, steps);
        max_scale = STRATA_MAX(max_scale, scales[j]);
        max_min = STRATA_MAX(max_min, mins[j]);
    }
    const float inv_scale = max_scale > 0 ? 63.0f / max_scale : 0.0f;
    const float inv_min = max_min > 0 ? 63.0f / max_min : 0.0f;
    uint8_t ls[8], lm[8];
    for (int j = 0; j < 8; j++) {
        ls[j] = (uint8_t)STRATA_MIN(63, strata_nearest_int(inv_scale * scales[j]));
        lm[j] = (uint8_t)STRATA_MIN(63, strata_nearest_int(inv_min * mins[j]));
    }
    strata_k_pack_scales(ls, lm, packed);
    *d_out = strata_f32_to_fp16(max_scale / 63.0f);
    *dmin_out = strata_f32_to_fp16(max_min / 63.0f);
    const float d = strata_fp16_to_f32(*d_out), dmin = strata_fp16_to_f32(*dmin_out);
    for (int j = 0; j < 8; j++) {
        const float ds = d * (float)ls[j];
        if (ds == 0.0f) continue;
        const float dm = dmin * (float)lm[j];
        for (int l = 0; l < 32; l++) {
            const int q = strata_nearest_int((x[32 * j + l] + dm) / ds);
            L[32 * j + l] = (uint8_t)STRATA_MAX(0, STRATA_MIN(nmax, q));
        }
    }
}

void strata_quantize_row_q4_K_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q4_K *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        uint8_t L[STRATA_QK_K];
        strata_quantize_k_block(src + i * STRATA_QK_K, 15, -1.0f, 20, &y[i].d, &y[i].dmin, y[i].scales, L);
        for (int chunk = 0; chunk < 4; chunk++) {
            for (int l = 0; l < 32; l++) {
                y[i].qs[32 * chunk + l] = (uint8_t)(L[64 * chunk + l] | (L[64 * chunk + 32 + l] << 4));
            }
        }
    }
}

void strata_quantize_row_q5_K_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q5_K *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        uint8_t L[STRATA_QK_K];
        strata_quantize_k_block(src + i * STRATA_QK_K, 31, -0.5f, 15, &y[i].d, &y[i].dmin, y[i].scales, L);
        memset(y[i].qh, 0, sizeof y[i].qh);
        for (int chunk = 0; chunk < 4; chunk++) {
            for (int l = 0; l < 32; l++) {
                const uint8_t lo = L[64 * chunk + l], hi = L[64 * chunk + 32 + l];
                y[i].qs[32 * chunk + l] = (uint8_t)((lo & 0x0f) | ((hi & 0x0f) << 4));
                y[i].qh[l] |= (uint8_t)(((lo >> 4) << (2 * chunk)) | ((hi >> 4) << (2 * chunk + 1)));
            }
        }
    }
}

void strata_quantize_row_q6_K_ref(const float *restrict src, void *restrict dst, int64_t n) {
    strata_block_q6_K *y = dst;
    for (int64_t i = 0; i < n / STRATA_QK_K; i++) {
        const float *x = src + i * STRATA_QK_K;
        uint8_t L[STRATA_QK_K];
        float scales[16];
        float max_scale = 0, max_abs_scale = 0;
        for (int s = 0; s < 16; s++) {
            scales[s] = strata_fit_symmetric(16, 32, x + 16 * s, L + 16 * s);
            if (fabsf(scales[s]) > max_abs_scale) {
                max_abs_scale = fabsf(scales[s]);
                max_scale = scales[s];
            }
        }
        if (max_abs_scale < 1e-30f) {
            memset(&y[i], 0, sizeof y[i]);
            continue;
        }
        // 8-bit sub-block scales; the largest maps to -128 (its sign is folded into d).
        const float iscale = -128.0f / max_scale;
        y[i].d = strata_f32_to_fp16(1 / iscale);
        for (int s = 0; s < 16; s++) {
            y[i].scales[s] = (int8_t)STRATA_MIN(127, strata_nearest_int(iscale * scales[s]));
        }
        const float d = strata_fp16_to_f32(y[i].d);
        for (int s = 0; s < 16; s++) {
            const float ds = d * (float)y[i].scales[s];
            if (ds == 0.0f) continue;
            for (int l = 0; l < 16; l++) {
                const int q = strata_nearest_int(x[16 * s + l] / ds);
                L[16 * s + l] = (uint8_t)(STRATA_MAX(-32, STRATA_MIN(31, q)) + 32);
            }
        }
        for (int half = 0; half < 2; half++) {
            uint8_t *ql = y[i].ql + 64 * half, *qh = y[i].qh + 32 * half;
            const uint8_t *Lh = L + 128 * half;
            for (int l = 0; l < 32; l++) {
                ql[l] = (uint8_t)((Lh[l] & 0x0f) | ((Lh[l + 64] & 0x0f) << 4));
                ql[l + 32] = (uint8_t)((Lh[l + 32] & 0x0f) | ((Lh[l + 96] & 0x0f) << 4));
                qh[l] = (uint8_t)((Lh[l] >> 4) | ((Lh[l + 32] >> 4) << 2) | ((Lh[l + 64] >> 4) << 4) |
                                  ((Lh[l + 96] >> 4) << 6));
            }
        }
    }
}
