#ifndef STRATA_KERNELS_INTERNAL_H
#define STRATA_KERNELS_INTERNAL_H

// Helpers shared by the generic and x86 kernels (not part of the public header).

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "include/strata_kernels.h"

#define STRATA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define STRATA_MAX(a, b) ((a) > (b) ? (a) : (b))

/// Round to nearest, ties to even, as ggml's nearest_int (valid for |x| <= 2^22).
static inline int strata_nearest_int(float x) {
    const float shifted = x + 12582912.0f;  // 1.5 * 2^23: the integer lands in the low mantissa bits
    int32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    return (bits & 0x007fffff) - 0x00400000;
}

/// Scale and min of sub-block `j` (0..<8) from the 12 packed bytes of Q4_K / Q5_K:
/// sub-blocks 0..<4 keep 6 bits in bytes j and j + 4; sub-blocks 4..<8 keep their low 4 bits in
/// byte j + 4 and their top 2 bits in the top bits of bytes j - 4 (scale) and j (min).
static inline void strata_k_scale_min(int j, const uint8_t *restrict q, uint8_t *restrict scale, uint8_t *restrict min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (uint8_t)((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
        *min = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

/// Unpacks the 12 scale bytes into 8 scales followed by 8 mins (16 bytes), as ggml's utmp trick.
static inline void strata_k_unpack_scales(const uint8_t *restrict packed, uint8_t out[16]) {
    for (int j = 0; j < 8; j++) {
        strata_k_scale_min(j, packed, &out[j], &out[8 + j]);
    }
}

/// Defines `strata_mul_tile_<name>` as the plain rows x tokens loop over `vec_dot`.
#define STRATA_DEFINE_LOOP_TILE(name, vec_dot, attributes)                                                 \
    attributes void strata_mul_tile_##name(int64_t n, const void *restrict w, size_t w_stride, int64_t rows, \
                                           const void *restrict a, size_t a_stride, int64_t tokens,          \
                                           float *restrict y, size_t y_stride) {                             \
        for (int64_t r = 0; r < rows; r++) {                                                                 \
            const char *wr = (const char *)w + (size_t)r * w_stride;                                         \
            for (int64_t t = 0; t < tokens; t++) {                                                           \
                y[(size_t)t * y_stride + (size_t)r] = vec_dot(n, wr, (const char *)a + (size_t)t * a_stride); \
            }                                                                                                \
        }                                                                                                    \
    }

#endif
