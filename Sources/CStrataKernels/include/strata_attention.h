#ifndef STRATA_ATTENTION_H
#define STRATA_ATTENTION_H

// Attention of one query head over fp16 keys and values, computed the way ggml's CPU flash
// attention does: the query rounded to fp16, f32 scores, an online softmax, and the weighted
// values accumulated in fp16. Positions are visited in the order given.

#include <stdint.h>
#include "strata_blocks.h"

#ifdef __cplusplus
extern "C" {
#endif

/// out[0..<head_size] = Σ_p softmax_p(score_scale · q16·k_p) · v_p over `count` positions, where
/// q16 = fp16(query · query_scale). `keys[p]` and `values[p]` point at fp16 rows of `head_size`.
/// `scratch` holds at least 2 · head_size fp16 values.
typedef void (*strata_attend_fn)(int64_t head_size, int64_t count, const float *query, float query_scale,
                                 float score_scale, const strata_fp16 *const *keys,
                                 const strata_fp16 *const *values, strata_fp16 *scratch, float *out);

/// Converts `n` floats to fp16 (round to nearest even).
typedef void (*strata_to_fp16_fn)(const float *src, strata_fp16 *dst, int64_t n);

/// The attention kernels of one instruction set.
typedef struct strata_attention_kernels {
    const char *name;
    strata_attend_fn attend;
    strata_to_fp16_fn to_fp16;
} strata_attention_kernels;

/// The portable scalar reference.
const strata_attention_kernels *strata_attention_reference(void);
/// The fastest kernels this CPU supports.
const strata_attention_kernels *strata_attention_best(void);

void strata_attend_f16_ref(int64_t head_size, int64_t count, const float *query, float query_scale,
                           float score_scale, const strata_fp16 *const *keys,
                           const strata_fp16 *const *values, strata_fp16 *scratch, float *out);
void strata_f32_to_fp16_row_ref(const float *src, strata_fp16 *dst, int64_t n);

#if defined(__x86_64__)
void strata_attend_f16_avx2(int64_t head_size, int64_t count, const float *query, float query_scale,
                            float score_scale, const strata_fp16 *const *keys,
                            const strata_fp16 *const *values, strata_fp16 *scratch, float *out);
void strata_f32_to_fp16_row_avx2(const float *src, strata_fp16 *dst, int64_t n);
#endif

#ifdef __cplusplus
}
#endif

#endif
