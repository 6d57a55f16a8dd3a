#ifndef STRATA_KERNELS_GENERIC_H
#define STRATA_KERNELS_GENERIC_H

// Portable scalar kernels: the reference every SIMD kernel is tested against.
// Row lengths `n` must be multiples of the format's block size (32, or 256 for the K formats).

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: Dequantization (weight row -> f32)

void strata_dequantize_row_f32_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_f16_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_bf16_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q8_0_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q4_0_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q5_0_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q4_K_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q5_K_ref(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q6_K_ref(const void *restrict src, float *restrict dst, int64_t n);
/// Q8_K is an activation format; dequantizing it is for tests.
void strata_dequantize_row_q8_K_ref(const void *restrict src, float *restrict dst, int64_t n);

// MARK: Activation quantizers (the AVX2 table uses byte-identical twins)

/// f32 -> Q8_0 as ggml's x86 path: d = fp16(amax / 127), q = round-half-even(x · 127 / amax).
void strata_quantize_row_q8_0(const float *restrict src, void *restrict dst, int64_t n);
/// f32 -> Q8_K as ggml's reference: iscale = -127 / max (max = the signed element of largest magnitude),
/// q = min(127, nearest-even(iscale * x)), d = 1 / iscale, bsums per 16.
void strata_quantize_row_q8_K(const float *restrict src, void *restrict dst, int64_t n);
/// f32 "activation format" of the float weight types: a copy.
void strata_quantize_row_f32(const float *restrict src, void *restrict dst, int64_t n);

// MARK: Reference weight quantizers (round-trip tests and synthetic data)

void strata_quantize_row_f16_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_bf16_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q8_0_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q4_0_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q5_0_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q4_K_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q5_K_ref(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q6_K_ref(const float *restrict src, void *restrict dst, int64_t n);

// MARK: Dot products (weights · activations)

float strata_vec_dot_f32_f32_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_f16_f32_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_bf16_f32_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q8_0_q8_0_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q4_0_q8_0_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q5_0_q8_0_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q4_K_q8_K_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q5_K_q8_K_ref(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q6_K_q8_K_ref(int64_t n, const void *restrict w, const void *restrict a);

// MARK: Tiles (rows x tokens of vec_dot), see strata_mul_tile_fn

void strata_mul_tile_f32_f32_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                 const void *restrict a, size_t a_stride, int64_t tokens,
                                 float *restrict y, size_t y_stride);
void strata_mul_tile_f16_f32_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                 const void *restrict a, size_t a_stride, int64_t tokens,
                                 float *restrict y, size_t y_stride);
void strata_mul_tile_bf16_f32_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                  const void *restrict a, size_t a_stride, int64_t tokens,
                                  float *restrict y, size_t y_stride);
void strata_mul_tile_q8_0_q8_0_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);
void strata_mul_tile_q4_0_q8_0_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);
void strata_mul_tile_q5_0_q8_0_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);
void strata_mul_tile_q4_K_q8_K_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);
void strata_mul_tile_q5_K_q8_K_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);
void strata_mul_tile_q6_K_q8_K_ref(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);

#ifdef __cplusplus
}
#endif

#endif
