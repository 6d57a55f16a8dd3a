#ifndef STRATA_KERNELS_X86_H
#define STRATA_KERNELS_X86_H

// AVX2 + FMA + F16C kernels (x86_64 only). Each is the SIMD twin of the `_ref` kernel with the same
// name and must only be called when the CPU supports those extensions (see strata_kernels_best()).
// Dequantizers are bit-identical to the reference; dot products agree to float rounding
// (their integer parts are exact), and each `mul_tile` is bit-identical to its `vec_dot`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__x86_64__)

void strata_dequantize_row_f16_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_bf16_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q8_0_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q4_0_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q5_0_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q4_K_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q5_K_avx2(const void *restrict src, float *restrict dst, int64_t n);
void strata_dequantize_row_q6_K_avx2(const void *restrict src, float *restrict dst, int64_t n);

/// Activation quantizers, byte-identical to strata_quantize_row_q8_0 / strata_quantize_row_q8_K.
void strata_quantize_row_q8_0_avx2(const float *restrict src, void *restrict dst, int64_t n);
void strata_quantize_row_q8_K_avx2(const float *restrict src, void *restrict dst, int64_t n);

float strata_vec_dot_f32_f32_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_f16_f32_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_bf16_f32_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q8_0_q8_0_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q4_0_q8_0_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q5_0_q8_0_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q4_K_q8_K_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q5_K_q8_K_avx2(int64_t n, const void *restrict w, const void *restrict a);
float strata_vec_dot_q6_K_q8_K_avx2(int64_t n, const void *restrict w, const void *restrict a);

void strata_mul_tile_f32_f32_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                  const void *restrict a, size_t a_stride, int64_t tokens,
                                  float *restrict y, size_t y_stride);
void strata_mul_tile_f16_f32_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                  const void *restrict a, size_t a_stride, int64_t tokens,
                                  float *restrict y, size_t y_stride);
void strata_mul_tile_bf16_f32_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                   const void *restrict a, size_t a_stride, int64_t tokens,
                                   float *restrict y, size_t y_stride);
void strata_mul_tile_q8_0_q8_0_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                    const void *restrict a, size_t a_stride, int64_t tokens,
                                    float *restrict y, size_t y_stride);
void strata_mul_tile_q4_0_q8_0_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                    const void *restrict a, size_t a_stride, int64_t tokens,
                                    float *restrict y, size_t y_stride);
void strata_mul_tile_q5_0_q8_0_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                    const void *restrict a, size_t a_stride, int64_t tokens,
                                    float *restrict y, size_t y_stride);
void strata_mul_tile_q4_K_q8_K_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                    const void *restrict a, size_t a_stride, int64_t tokens,
                                    float *restrict y, size_t y_stride);
void strata_mul_tile_q5_K_q8_K_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                    const void *restrict a, size_t a_stride, int64_t tokens,
                                    float *restrict y, size_t y_stride);
void strata_mul_tile_q6_K_q8_K_avx2(int64_t n, const void *restrict w, size_t w_stride, int64_t rows,
                                    const void *restrict a, size_t a_stride, int64_t tokens,
                                    float *restrict y, size_t y_stride);

#endif

#ifdef __cplusplus
}
#endif

#endif
