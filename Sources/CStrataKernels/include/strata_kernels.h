#ifndef STRATA_KERNELS_H
#define STRATA_KERNELS_H

// Strata CPU kernels: block layouts, dequantization, activation quantization and dot products.
//
// Every kernel has a portable scalar reference (`*_ref`, in generic/) and, where it pays,
// an AVX2+FMA+F16C twin (`*_avx2`, in x86/) compiled with a function-level target attribute.
// Callers pick a whole set through a kernel table: `strata_kernels_reference()` or
// `strata_kernels_best()` (the fastest set this CPU supports, chosen at run time).

#include <stddef.h>
#include <stdint.h>

#include "strata_blocks.h"
#include "strata_fp16.h"
#include "strata_kernels_generic.h"
#include "strata_kernels_x86.h"

#ifdef __cplusplus
extern "C" {
#endif

/// ggml type ids used by the tables (same numbers as GGUF tensor infos).
enum {
    STRATA_TYPE_F32 = 0,
    STRATA_TYPE_F16 = 1,
    STRATA_TYPE_Q4_0 = 2,
    STRATA_TYPE_Q5_0 = 6,
    STRATA_TYPE_Q8_0 = 8,
    STRATA_TYPE_Q4_K = 12,
    STRATA_TYPE_Q5_K = 13,
    STRATA_TYPE_Q6_K = 14,
    STRATA_TYPE_Q8_K = 15,
    STRATA_TYPE_BF16 = 30,
    /// One past the largest type id a table has a slot for.
    STRATA_TYPE_SLOTS = 31,
};

/// Expands `n` elements of a row stored in a weight format into floats.
typedef void (*strata_dequantize_fn)(const void *restrict src, float *restrict dst, int64_t n);
/// Converts `n` floats into the activation format a weight format is multiplied with.
typedef void (*strata_quantize_fn)(const float *restrict src, void *restrict dst, int64_t n);
/// Σ w[i] * a[i] over `n` elements: `w` a weight row, `a` an activation row in the matching format.
typedef float (*strata_vec_dot_fn)(int64_t n, const void *restrict w, const void *restrict a);
/// For r in 0..<rows, t in 0..<tokens: y[t * y_stride + r] = vec_dot(n, w + r * w_stride, a + t * a_stride).
/// Every output equals the table's `vec_dot` for that pair bit for bit, whatever the tile shape.
typedef void (*strata_mul_tile_fn)(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);

/// The kernels for one weight format.
typedef struct {
    strata_dequantize_fn dequantize;
    strata_vec_dot_fn vec_dot;
    strata_mul_tile_fn mul_tile;
    /// Quantizes f32 activations into `activation_type` (a plain copy when that is F32).
    strata_quantize_fn quantize_activation;
    uint32_t activation_type;
    uint32_t activation_block_size;
    uint32_t activation_type_size;
} strata_type_kernels;

/// A complete, immutable set of kernels.
typedef struct strata_kernel_table strata_kernel_table;

/// The portable scalar kernels (the ground truth tests compare against).
const strata_kernel_table *strata_kernels_reference(void);
/// The fastest kernels this CPU can run (AVX2+FMA+F16C when present, else the reference).
const strata_kernel_table *strata_kernels_best(void);
/// A short name for a table ("reference", "avx2").
const char *strata_kernel_table_name(const strata_kernel_table *table);
/// The kernels for ggml type `type`, or NULL when the table has none for it.
const strata_type_kernels *strata_kernels_for_type(const strata_kernel_table *table, uint32_t type);

/// Hint to the CPU that the caller is spinning (PAUSE on x86).
static inline void strata_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#ifdef __cplusplus
}
#endif

#endif
